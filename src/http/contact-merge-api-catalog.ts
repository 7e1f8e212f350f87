import { MergeContactsBodySchema } from '../services/crm/contact-merge.service.js';
import type { ApiOperation } from './openapi.js';

/** The contact-merge /api operations, for API_OPERATIONS. */
export const CONTACT_MERGE_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post',
    path: '/contacts/:id/merge',
    tag: 'Contacts',
    summary: 'Merge duplicateId into this contact: identities, conversations, messages, deals, tasks, company links and timeline move here; the duplicate then answers 404 contact_merged with details.mergedInto',
    body: MergeContactsBodySchema,
    responses: { 404: 'no such contact', 409: 'same contact, or one of them was already merged (contact_already_merged)' },
  },
];
