import { z } from 'zod';
import { objectIdString } from '../../domain/validation.js';

/** Zod pieces shared by the contact and company schemas, so both endpoints limit input alike. */
export const objectIdField = objectIdString;
export const NameField = z.string().trim().min(1).max(200);
export const EmailField = z.string().trim().max(254).pipe(z.email('must be an email address')).transform((e) => e.toLowerCase());
export const PhoneField = z.string().max(40);
export const TagField = z.string().trim().min(1).max(50);
export const TagsField = z.array(TagField).max(50).transform((tags) => [...new Set(tags)]);
/** Where a contact stands (the values of ContactDoc.lifecycle). */
export const CONTACT_LIFECYCLES = ['contact', 'lead', 'customer'] as const;
export const LifecycleField = z.enum(CONTACT_LIFECYCLES);
export const CustomFieldsInput = z.record(z.string().max(64), z.unknown());
