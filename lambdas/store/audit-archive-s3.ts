/**
 * The audit archive in S3. The bucket has Object Lock in compliance mode (lib/audit-archive.ts):
 * no one, not even the account's root user, can delete or overwrite an object version before its
 * retention ends. Writes are conditional (`If-None-Match: *`), so a place already archived is
 * never written again: S3 answers 412 and the existing record is read back instead.
 * Conditional writes: https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { KeyedAuditArchive } from './audit-archive-keys.js';

export class S3AuditArchive extends KeyedAuditArchive {
  constructor(
    private readonly s3: Pick<S3Client, 'send'>,
    private readonly bucket: string,
  ) {
    super();
  }

  protected async create(key: string, body: unknown): Promise<boolean> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: JSON.stringify(body),
          ContentType: 'application/json',
          IfNoneMatch: '*',
          ChecksumAlgorithm: 'SHA256',
        }),
      );
      return true;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (err as Error).name === 'PreconditionFailed') return false;
      throw err;
    }
  }

  protected async get<T>(key: string): Promise<T> {
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return JSON.parse(await res.Body!.transformToString('utf8')) as T;
  }

  protected async *read<T>(prefix: string): AsyncGenerator<T> {
    let token: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield await this.get<T>(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
