import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { MailDeliveryError } from '../domain/errors.js';
import type { Mailer, MailMessage } from '../domain/ports.js';

/**
 * Mailer over SES v2 SendEmail with Simple content: HTML and text bodies plus attachments (SES
 * builds the MIME). The emulator of the local stack accepts the same call and stores attachments.
 */
export class SesMailer implements Mailer {
  constructor(private readonly client: SESv2Client) {}

  async send(m: MailMessage): Promise<{ messageId: string }> {
    try {
      const res = await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: m.from,
          Destination: { ToAddresses: [...m.to] },
          Content: {
            Simple: {
              Subject: { Data: m.subject, Charset: 'UTF-8' },
              Body: { Html: { Data: m.html, Charset: 'UTF-8' }, Text: { Data: m.text, Charset: 'UTF-8' } },
              ...(m.attachments?.length && {
                Attachments: m.attachments.map((a) => ({
                  FileName: a.filename,
                  ContentType: a.contentType,
                  RawContent: a.content,
                  ContentDisposition: a.disposition === 'inline' ? ('INLINE' as const) : ('ATTACHMENT' as const),
                  ...(a.contentId && { ContentId: a.contentId }),
                  ContentTransferEncoding: 'BASE64' as const,
                })),
              }),
            },
          },
        }),
      );
      return { messageId: res.MessageId ?? '' };
    } catch (err) {
      const e = err as Error;
      throw new MailDeliveryError(
        `SES did not send "${m.subject}" to ${m.to.join(', ')}: ${e.name}: ${e.message}. Check that ${m.from} is a verified SES identity and, in the SES sandbox, that the recipients are verified too.`,
        m.to,
        { cause: err },
      );
    }
  }
}
