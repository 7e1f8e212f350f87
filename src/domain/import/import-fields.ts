import type { ImportEntity } from './import-types.js';

/**
 * A field an import column can fill. `label` is the English header exports write (so an export
 * imports back without a mapping file); `aliases` are other headers recognised automatically —
 * compared after headerKey(), so case, spaces, dots, dashes and underscores do not matter.
 */
export interface ImportField {
  key: string;
  label: string;
  aliases: readonly string[];
  /** Several values in one cell, separated by `;`, `,` or a line break (emails, phones, tags). */
  multi?: boolean;
}

/** A header reduced for comparison: NFKC, lower case, without spaces and `._-:/()*#№`. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s._\-:/()*#№]+/g, '');
}

const OWNER: ImportField = { key: 'owner', label: 'Owner', aliases: ['owner', 'owner email', 'manager', 'responsible', 'assigned to', '담당자', '담당 영업', '영업 담당자', 'ответственный', 'менеджер'] };
const TAGS: ImportField = { key: 'tags', label: 'Tags', aliases: ['tag', 'tags', 'labels', '태그', '라벨', 'теги', 'тег', 'метки'], multi: true };
const EMAILS: ImportField = { key: 'emails', label: 'Email', aliases: ['email', 'e-mail', 'emails', 'email address', 'mail', '이메일', '이메일 주소', '메일', '전자우편', 'почта', 'эл. почта', 'электронная почта', 'e-mail адрес', 'email адрес'], multi: true };
const PHONES: ImportField = { key: 'phones', label: 'Phone', aliases: ['phone', 'phones', 'phone number', 'telephone', 'tel', 'mobile', 'mobile phone', 'cell', '전화번호', '전화', '휴대폰', '휴대전화', '핸드폰', '연락처', '휴대폰 번호', 'телефон', 'тел', 'мобильный', 'мобильный телефон', 'номер телефона'], multi: true };

/** Contacts: people, optionally linked to a company with a role and a job title. */
const CONTACT_FIELDS: readonly ImportField[] = [
  { key: 'name', label: 'Name', aliases: ['name', 'full name', 'contact', 'contact name', '이름', '성명', '고객명', '성함', 'имя', 'фио', 'полное имя', 'контакт', 'имя контакта'] },
  { key: 'firstName', label: 'First name', aliases: ['first name', 'given name', 'firstname', 'имя (first)'] },
  { key: 'lastName', label: 'Last name', aliases: ['last name', 'surname', 'family name', 'lastname', '성', 'фамилия'] },
  EMAILS,
  PHONES,
  { key: 'company', label: 'Company', aliases: ['company', 'company name', 'organization', 'organisation', 'account', '회사', '회사명', '소속', '기업', '업체', '업체명', 'компания', 'организация', 'название компании'] },
  { key: 'title', label: 'Title', aliases: ['title', 'job title', 'position', '직책', '직위', '직함', 'должность'] },
  { key: 'role', label: 'Role', aliases: ['role', 'company role', '역할', 'роль'] },
  TAGS,
  OWNER,
  { key: 'lifecycle', label: 'Lifecycle', aliases: ['lifecycle', 'lifecycle stage', 'status', '상태', '고객 상태', 'статус'] },
  { key: 'source', label: 'Source', aliases: ['source', 'lead source', '유입경로', '유입 경로', '출처', 'источник', 'источник лида'] },
];

/** Companies: the organisation's own details. */
const COMPANY_FIELDS: readonly ImportField[] = [
  { key: 'name', label: 'Name', aliases: ['name', 'company', 'company name', 'organization', 'organisation', '회사', '회사명', '상호', '기업명', '업체명', 'компания', 'название', 'наименование', 'организация'] },
  { key: 'domain', label: 'Domain', aliases: ['domain', 'website', 'web site', 'site', 'url', '홈페이지', '웹사이트', '도메인', 'сайт', 'домен', 'веб-сайт'] },
  EMAILS,
  PHONES,
  TAGS,
  OWNER,
];

/** Deals: a title, money, where it stands, and who it is with. */
const DEAL_FIELDS: readonly ImportField[] = [
  { key: 'externalId', label: 'Deal ID', aliases: ['deal id', 'id', 'external id', '딜 id', '거래 id', '거래번호', 'id сделки', 'номер сделки'] },
  { key: 'title', label: 'Title', aliases: ['title', 'deal', 'deal name', 'deal title', '딜', '딜명', '거래명', '건명', '영업기회', 'сделка', 'название сделки', 'название'] },
  { key: 'amount', label: 'Amount', aliases: ['amount', 'value', 'deal value', 'sum', 'total', '금액', '거래금액', '거래 금액', 'сумма', 'бюджет'] },
  { key: 'currency', label: 'Currency', aliases: ['currency', '통화', 'валюта'] },
  { key: 'pipeline', label: 'Pipeline', aliases: ['pipeline', 'funnel', '파이프라인', 'воронка'] },
  { key: 'stage', label: 'Stage', aliases: ['stage', 'deal stage', '단계', '진행 단계', 'этап', 'стадия'] },
  { key: 'contactName', label: 'Contact', aliases: ['contact', 'contact name', 'client', 'customer', '고객', '고객명', '담당 고객', 'контакт', 'клиент'] },
  { key: 'contactEmail', label: 'Contact email', aliases: ['contact email', 'client email', 'email', 'e-mail', '고객 이메일', '이메일', 'email клиента', 'почта', 'почта клиента'], multi: true },
  { key: 'contactPhone', label: 'Contact phone', aliases: ['contact phone', 'client phone', 'phone', '고객 전화번호', '전화번호', 'телефон', 'телефон клиента'], multi: true },
  { key: 'company', label: 'Company', aliases: ['company', 'company name', 'organization', '회사', '회사명', 'компания', 'организация'] },
  OWNER,
  { key: 'expectedCloseAt', label: 'Expected close', aliases: ['expected close', 'expected close date', 'close date', '예상 마감일', '마감 예정일', 'дата закрытия', 'ожидаемая дата закрытия'] },
  { key: 'createdAt', label: 'Created', aliases: ['created', 'created at', 'date created', '생성일', '등록일', 'дата создания', 'создана'] },
  { key: 'lostReason', label: 'Lost reason', aliases: ['lost reason', 'loss reason', '실패 사유', 'причина отказа', 'причина проигрыша'] },
];

/** Every field of each entity, in the order exports write them. */
export const IMPORT_FIELDS: Readonly<Record<ImportEntity, readonly ImportField[]>> = {
  contacts: CONTACT_FIELDS,
  companies: COMPANY_FIELDS,
  deals: DEAL_FIELDS,
};

/** The prefix of a custom field target in a mapping: `custom.<key>`. */
export const CUSTOM_FIELD_PREFIX = 'custom.';
