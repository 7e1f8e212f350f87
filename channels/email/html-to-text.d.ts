// html-to-text 10 ships no type declarations (and @types/html-to-text is not a dependency):
// the part of its API channels/email/email-html-text.ts uses.
declare module 'html-to-text' {
  export interface HtmlElement {
    name?: string;
    attribs?: Record<string, string | undefined>;
    children?: unknown[];
  }
  export interface BlockTextBuilder {
    /** The metadata object passed to the compiled converter. */
    metadata?: unknown;
    addInline(text: string, options?: { noWordTransform?: boolean }): void;
  }
  export type FormatCallback = (elem: HtmlElement, walk: (nodes: unknown[] | undefined, builder: BlockTextBuilder) => void, builder: BlockTextBuilder, formatOptions: Record<string, unknown>) => void;
  export interface SelectorDefinition {
    selector: string;
    format?: string;
    options?: Record<string, unknown>;
  }
  export interface HtmlToTextOptions {
    wordwrap?: number | false | null;
    preserveNewlines?: boolean;
    decodeEntities?: boolean;
    selectors?: SelectorDefinition[];
    formatters?: Record<string, FormatCallback>;
    limits?: { maxInputLength?: number; maxDepth?: number; maxChildNodes?: number; ellipsis?: string };
  }
  export function compile(options?: HtmlToTextOptions): (html: string, metadata?: unknown) => string;
  export function convert(html: string, options?: HtmlToTextOptions): string;
}
