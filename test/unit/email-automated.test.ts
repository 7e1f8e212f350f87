import { describe, expect, it } from 'vitest';
import { classifyAutomated } from '../../channels/email/email-automated.js';
import { parseHeaderBlock } from '../../channels/email/email-headers.js';
import { parseEmail } from '../../channels/email/email-parse.js';
import { base64Lines, encode, encodedWord, message, type HeaderList } from '../support/email-mime-fixtures.js';

const headers = (block: string) => parseHeaderBlock(block);

describe('classifyAutomated on realistic mail', () => {
  it('recognises an Exchange Online out-of-office reply (Korean, ks_c_5601-1987, base64)', async () => {
    const exchange: HeaderList = [
      ['Received', 'from SEZPR06MB1234.apcprd06.prod.outlook.com (2603:1096:101:5c::9) by mx.switchboard.test; Sat, 28 Nov 2026 06:00:05 +0000'],
      ['From', `${encodedWord('박지은', 'ks_c_5601-1987')} <jieun.park@contoso.test>`],
      ['To', 'Switchboard Sales <sales@switchboard.test>'],
      ['Subject', `${encodedWord('자동 회신: 견적서 Q-1042', 'ks_c_5601-1987')}`],
      ['Thread-Topic', encodedWord('견적서 Q-1042', 'ks_c_5601-1987')],
      ['Thread-Index', 'AQHbQ2x3kF0Aq1i9Ek6sW8Xg=='],
      ['Date', 'Sat, 28 Nov 2026 06:00:05 +0000'],
      ['Message-ID', '<8a1f6c1d2e3f4a5b9c8d7e6f5a4b3c2d@SEZPR06MB1234.apcprd06.prod.outlook.com>'],
      ['In-Reply-To', '<reply-1042@switchboard.test>'],
      ['References', '<reply-1042@switchboard.test>'],
      ['X-MS-Has-Attach', ''],
      ['X-Auto-Response-Suppress', 'All'],
      ['X-MS-Exchange-Inbox-Rules-Loop', 'jieun.park@contoso.test'],
      ['X-MS-TNEF-Correlator', ''],
      ['auto-submitted', 'auto-generated'],
      ['x-ms-exchange-generated-message-source', 'Mailbox Rules Agent'],
      ['Content-Type', 'text/plain; charset="ks_c_5601-1987"'],
      ['Content-Transfer-Encoding', 'base64'],
      ['MIME-Version', '1.0'],
    ];
    const parsed = await parseEmail(message(exchange, base64Lines(encode('12월 1일까지 휴가입니다. 급한 건은 02-123-4567로 연락 주세요.', 'cp949'))));
    expect(parsed.automated).toEqual({ kind: 'auto-reply', reason: 'Auto-Submitted: auto-generated' });
    expect(parsed.subject).toBe('자동 회신: 견적서 Q-1042');
    expect(parsed.text).toBe('12월 1일까지 휴가입니다. 급한 건은 02-123-4567로 연락 주세요.');
    expect(parsed.inReplyTo).toBe('reply-1042@switchboard.test');
  });

  it('recognises a Gmail vacation responder (Auto-Submitted: auto-replied, Precedence: bulk)', async () => {
    const parsed = await parseEmail(
      message(
        [
          ['From', 'Anna Kim <anna.kim@customer.test>'],
          ['To', 'sales@switchboard.test'],
          ['Subject', 'Re: Your quote Q-1042'],
          ['Date', 'Sat, 28 Nov 2026 06:00:05 +0000'],
          ['Message-ID', '<CAJ8uTyv=vac4tion@mail.gmail.com>'],
          ['In-Reply-To', '<reply-1042@switchboard.test>'],
          ['Auto-Submitted', 'auto-replied'],
          ['Precedence', 'bulk'],
          ['Content-Type', 'text/plain; charset="UTF-8"'],
        ],
        'I am away until December 1st with limited access to email.',
      ),
    );
    expect(parsed.automated).toEqual({ kind: 'auto-reply', reason: 'Auto-Submitted: auto-replied' });
  });

  it('recognises a Korean "부재중" auto-reply that only says X-Autoreply: yes', async () => {
    const parsed = await parseEmail(
      message(
        [
          ['From', `${encodedWord('김민지', 'EUC-KR')} <minji@customer.kr>`],
          ['To', 'sales@switchboard.test'],
          ['Subject', encodedWord('[부재중] 견적 문의', 'EUC-KR')],
          ['X-Autoreply', 'yes'],
          ['Message-ID', '<20261128150005.ABC@customer.kr>'],
          ['Content-Type', 'text/plain; charset=euc-kr'],
        ],
        encode('현재 부재중입니다.', 'euc-kr'),
      ),
    );
    expect(parsed.automated).toEqual({ kind: 'auto-reply', reason: 'X-Autoreply: yes' });
    expect(parsed.text).toBe('현재 부재중입니다.');
  });

  it('recognises mailing-list mail by List-Id', async () => {
    const parsed = await parseEmail(
      message([
        ['From', 'Dev List <dev@lists.example.org>'],
        ['Subject', '[dev] Release 2.0'],
        ['List-Id', 'Developers <dev.lists.example.org>'],
        ['List-Unsubscribe', '<mailto:dev-leave@lists.example.org>'],
        ['Message-ID', '<list-1@lists.example.org>'],
      ], 'Release notes...'),
    );
    expect(parsed.automated).toEqual({ kind: 'mailing-list', reason: 'List-Id: Developers <dev.lists.example.org>' });
  });

  it('recognises a no-reply sender and a null Return-Path', async () => {
    const noreply = await parseEmail(message([['From', 'Shop <No-Reply@shop.test>'], ['Subject', 'Your order'], ['Message-ID', '<o1@shop.test>']], 'Thanks for your order.'));
    const nullSender = await parseEmail(message([['Return-Path', '<>'], ['From', 'robot@host.test'], ['Subject', 'Notice'], ['Message-ID', '<n1@host.test>']], 'Notice.'));
    expect(noreply.automated).toEqual({ kind: 'no-reply', reason: 'sent from no-reply@' });
    expect(nullSender.automated).toEqual({ kind: 'auto-reply', reason: 'empty Return-Path <> (null sender)' });
  });

  it('does NOT take a person\'s Outlook reply with X-Auto-Response-Suppress: All and "Re:" for automated', async () => {
    const parsed = await parseEmail(
      message(
        [
          ['Return-Path', '<jieun.park@contoso.test>'],
          ['From', 'Jieun Park <jieun.park@contoso.test>'],
          ['To', 'Switchboard Sales <sales@switchboard.test>'],
          ['Subject', 'RE: Out of office next week? Your quote Q-1042'],
          ['Thread-Topic', 'Your quote Q-1042'],
          ['X-MS-Has-Attach', ''],
          ['X-Auto-Response-Suppress', 'All'],
          ['X-MS-Exchange-Organization-SCL', '-1'],
          ['Message-ID', '<SEZPR06MB9999@SEZPR06MB9999.apcprd06.prod.outlook.com>'],
          ['Content-Type', 'text/plain; charset="us-ascii"'],
        ],
        'Looks good, please send the contract.',
      ),
    );
    expect(parsed.automated).toBeUndefined();
  });
});

describe('classifyAutomated rules', () => {
  it('takes Auto-Submitted: no for a person', () => {
    expect(classifyAutomated(headers('Auto-Submitted: no'), 'anna@customer.test')).toBeUndefined();
  });

  it.each([
    ['Precedence: list', 'mailing-list'],
    ['Precedence: junk', 'bulk'],
    ['Precedence: bulk', 'bulk'],
    ['Precedence: auto_reply', 'auto-reply'],
    ['List-Unsubscribe: <https://news.test/u>', 'bulk'],
    ['X-Autorespond: on', 'auto-reply'],
    ['Content-Type: multipart/report; report-type=delivery-status; boundary="x"', 'bounce'],
    ['Content-Type: multipart/report; report-type=disposition-notification; boundary="x"', 'auto-reply'],
  ])('%s → %s', (block, kind) => {
    expect(classifyAutomated(headers(block), 'anna@customer.test')?.kind).toBe(kind);
  });

  it.each([
    ['MAILER-DAEMON@mx.test', 'bounce'],
    ['postmaster@mx.test', 'bounce'],
    ['noreply@shop.test', 'no-reply'],
    ['do-not-reply@shop.test', 'no-reply'],
    ['DoNotReply@shop.test', 'no-reply'],
    ['notifications@github.test', 'no-reply'],
  ])('sender %s → %s', (from, kind) => {
    expect(classifyAutomated(new Map(), from)?.kind).toBe(kind);
  });

  it('matches the whole local part only', () => {
    expect(classifyAutomated(new Map(), 'noreply.anna@customer.test')).toBeUndefined();
    expect(classifyAutomated(new Map(), 'anna-notifications@customer.test')).toBeUndefined();
  });

  it('takes an auto-reply subject only together with a weak signal', () => {
    expect(classifyAutomated(new Map(), 'anna@customer.test', 'Out of Office: back on Monday')).toBeUndefined();
    expect(classifyAutomated(headers('X-MS-Exchange-Inbox-Rules-Loop: anna@customer.test'), 'anna@customer.test', 'Automatic reply: Offer')?.kind).toBe('auto-reply');
    expect(classifyAutomated(headers('X-Auto-Response-Suppress: OOF'), 'ivan@customer.ru', 'Автоответ: Счёт')?.kind).toBe('auto-reply');
    expect(classifyAutomated(headers('X-Auto-Response-Suppress: All'), 'minji@customer.kr', '부재중 안내')?.kind).toBe('auto-reply');
    expect(classifyAutomated(headers('X-Auto-Response-Suppress: All'), 'anna@customer.test', 'Re: Automatic reply: Offer')).toBeUndefined();
  });
});
