/**
 * An entry's attachments: name, type, size and a download link; text is previewed escaped and cut
 * short when large. Stored content is never rendered as HTML, whatever its media type says.
 */
import type { AttachmentInfo } from "../../../core/passenger";
import { attr } from "../../views/escape";
import { attachmentHref } from "./links";

export interface AttachmentView {
  info: AttachmentInfo;
  /** The start of a text attachment, or null when it is binary or too large to read for a preview. */
  preview: string | null;
  truncated: boolean;
}

export function Attachments({ client, id, attachments }: { client: string; id: string; attachments: AttachmentView[] }): JSX.Element {
  if (attachments.length === 0) return <p class="muted">No attachments.</p>;
  return (
    <ul class="attachments" data-test="attachments">
      {attachments.map(({ info, preview, truncated }) => (
        <li>
          <a href={attr(attachmentHref(client, id, info.name))} data-test="attachment-download" safe>
            {info.name}
          </a>{" "}
          <span class="muted" safe>
            {`${info.media_type}, ${formatBytes(info.size)}`}
          </span>
          {preview !== null ? (
            <>
              <pre class="preview" safe>
                {preview}
              </pre>
              {truncated ? <p class="muted">Preview cut short; download the attachment for all of it.</p> : ""}
            </>
          ) : ""}
        </li>
      ))}
    </ul>
  );
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
