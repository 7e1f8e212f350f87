/**
 * Reply and forward prefixes, in the languages our customers write: Re, Fwd, Fw, AW, WG, SV, VS,
 * Antw, TR, Ответ, Отв, Пересл, 답장, 회신, 전달, 回复, 回覆, 转发, 轉寄 — with a counter
 * ("RE[2]:", "Re(3):", "Re^2:") and an ASCII or full-width colon.
 */
const REPLY_PREFIX = /^(?:re|fwd?|aw|wg|sv|vs|antw|tr|ответ|отв|пересл|답장|회신|전달|回复|回覆|转发|轉寄)(?:\s*\[\d+\]|\s*\(\d+\)|\^\d+)?\s*[:：]\s*/iu;
const LIST_TAG = /^\[[^\]]{1,60}\]\s*/u;

/**
 * The subject as replies share it: any run of reply/forward prefixes removed (also behind a list
 * tag), list tags such as "[ACME]" kept, spaces collapsed, lower-case —
 * `Re: [ACME] RE[2]: Fwd: Pricing` → `[acme] pricing`. Undefined when nothing meaningful is left
 * ("Re:", "", "(no subject)").
 */
export function threadSubjectKey(subject: string | undefined): string | undefined {
  let rest = (subject ?? '').replace(/\s+/gu, ' ').trim();
  const tags: string[] = [];
  for (let previous = ''; previous !== rest; ) {
    previous = rest;
    rest = rest.replace(REPLY_PREFIX, '');
    const tag = LIST_TAG.exec(rest);
    if (tag) {
      const text = tag[0].trim();
      if (!tags.includes(text)) tags.push(text);
      rest = rest.slice(tag[0].length);
    }
  }
  const key = [...tags, rest].join(' ').replace(/\s+/gu, ' ').trim().toLowerCase();
  return key && key !== '(no subject)' ? key : undefined;
}

/** True when the subject carries a reply or forward prefix ("Re: …", "[ACME] AW: …"). */
export function isReplySubject(subject: string | undefined): boolean {
  const key = threadSubjectKey(subject);
  return key !== undefined && key !== (subject ?? '').replace(/\s+/gu, ' ').trim().toLowerCase();
}
