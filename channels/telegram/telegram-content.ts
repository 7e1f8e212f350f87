import type { TelegramMessage } from './telegram-message.schema.js';

/** A file the customer sent that still has to be fetched through getFile. */
export interface TelegramFileRef {
  fileId: string;
  name: string;
  contentType: string;
  /** What Telegram reported; 0 when it did not say. */
  size: number;
}

/** A message's text as managers see it, and the files to download. */
export interface TelegramContent {
  text: string;
  files: TelegramFileRef[];
}

type Msg = TelegramMessage;

/** Each content kind (one per message) as a text line and/or a file; captions come first. */
export function describeTelegramContent(message: Msg): TelegramContent {
  const lines = [message.text ?? message.caption ?? ''];
  const files: TelegramFileRef[] = [];
  const file = fileOf(message);
  if (file) files.push(file);
  const placeholder = placeholderOf(message);
  if (placeholder) lines.push(placeholder);
  return { text: lines.filter((l) => l.trim()).join('\n'), files };
}

function fileOf(m: Msg): TelegramFileRef | undefined {
  const id = m.message_id;
  if (m.photo) {
    // Telegram lists sizes smallest first, but say so nowhere binding: pick the largest by area.
    const largest = [...m.photo].sort((a, b) => a.width * a.height - b.width * b.height).at(-1)!;
    return ref(largest, `photo-${id}.jpg`, 'image/jpeg');
  }
  // An animation message also carries `document`; the animation is the better description.
  if (m.animation) return ref(m.animation, m.animation.file_name ?? `animation-${id}.mp4`, m.animation.mime_type ?? 'video/mp4');
  if (m.document) return ref(m.document, m.document.file_name ?? `document-${id}`, m.document.mime_type ?? 'application/octet-stream');
  if (m.video) return ref(m.video, m.video.file_name ?? `video-${id}.mp4`, m.video.mime_type ?? 'video/mp4');
  if (m.video_note) return ref(m.video_note, `video-note-${id}.mp4`, 'video/mp4');
  if (m.voice) return ref(m.voice, `voice-${id}.ogg`, m.voice.mime_type ?? 'audio/ogg');
  if (m.audio) return ref(m.audio, m.audio.file_name ?? `${m.audio.title ?? `audio-${id}`}.mp3`, m.audio.mime_type ?? 'audio/mpeg');
  return undefined;
}

function ref(file: { file_id: string; file_size?: number | undefined }, name: string, contentType: string): TelegramFileRef {
  return { fileId: file.file_id, name: name.slice(0, 300), contentType, size: file.file_size ?? 0 };
}

/** Content that is not a file shown as text: stickers, shared contacts, places, polls, dice. */
function placeholderOf(m: Msg): string | undefined {
  if (m.sticker) return m.sticker.emoji ? `[sticker ${m.sticker.emoji}]` : '[sticker]';
  if (m.contact) {
    const name = [m.contact.first_name, m.contact.last_name].filter(Boolean).join(' ');
    return `📞 Shared contact: ${name ? `${name}, ` : ''}${m.contact.phone_number}`;
  }
  const venue = m.venue;
  const place = venue?.location ?? m.location;
  if (place) {
    const at = `${place.latitude}, ${place.longitude}`;
    const link = `https://maps.google.com/?q=${place.latitude},${place.longitude}`;
    return venue ? `📍 ${venue.title}, ${venue.address} (${at})\n${link}` : `📍 ${at}\n${link}`;
  }
  if (m.poll) return `[poll: ${m.poll.question}]`;
  if (m.dice) return `[dice ${m.dice.emoji} ${m.dice.value}]`;
  return undefined;
}
