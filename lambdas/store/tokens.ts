import {
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { SpentReason, type ApprovalToken, type Ballot, type LinkKind, type LinkTokens } from '../domain/ballot.js';
import type { TokenStore } from '../domain/ports.js';
import { queryAll } from './query.js';
import { StoreError, TokenSpentError } from '../domain/errors.js';
import { isConditionalFailure } from './errors.js';

const tokenKey = (hash: string) => ({ pk: { S: `TOKEN#${hash}` }, sk: { S: 'TOKEN' } });
/** Keep and undo links live under their own sort keys: looking one up as another kind finds nothing. */
const linkKey = (kind: LinkKind, hash: string) => ({ pk: { S: `TOKEN#${hash}` }, sk: { S: kind } });
/** One signed-in person (Entra oid) per proposal: whoever fills two approvers' places decides once. */
const signerKey = (proposalId: string, oid: string) => ({
  pk: { S: `SIGNER#${proposalId}#${oid}` },
  sk: { S: 'SIGNER' },
});
const ballotKey = (proposalId: string, approver: string) => ({
  pk: { S: `PROPOSAL#${proposalId}` },
  sk: { S: `BALLOT#${approver}` },
});

function strip(o: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...rest } = o;
  return rest;
}

/**
 * Review-link tokens (`pk=TOKEN#<sha256>`, `sk=TOKEN`) and the ballots they cast
 * (`pk=PROPOSAL#<id>`, `sk=BALLOT#<approver>`, next to the proposal's items) in the state table.
 * Spending a token and recording its ballot is one transaction: a link works once, and an
 * approver holding two links (a resent email) still decides once.
 */
export class DynamoTokenStore implements TokenStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly table: string,
  ) {}

  async put(token: ApprovalToken): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.table,
          Item: { ...tokenKey(token.tokenHash), ...marshall(token, { removeUndefinedValues: true }) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalFailure(err)) throw err;
      throw new StoreError(
        `a token with hash prefix ${token.tokenHash.slice(0, 8)} exists already; tokens must be fresh random values (check the token generator).`,
      );
    }
  }

  async get(tokenHash: string): Promise<ApprovalToken | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: tokenKey(tokenHash), ConsistentRead: true }),
    );
    return res.Item ? (strip(unmarshall(res.Item)) as unknown as ApprovalToken) : undefined;
  }

  /**
   * Marks the token used and records its ballot, atomically: the token must exist, be unused,
   * belong to the ballot's proposal and approver and not be expired at `nowEpochSeconds`; the
   * approver must have no ballot on the proposal yet, and (signed in) the signed-in person (oid)
   * none with another approver's link. Otherwise TokenSpentError says which.
   */
  async castBallot(tokenHash: string, ballot: Ballot, nowEpochSeconds: number): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: tokenKey(tokenHash),
                UpdateExpression: 'SET usedAt = :at',
                ConditionExpression:
                  'attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :now AND proposalId = :p AND approver = :a',
                ExpressionAttributeValues: {
                  ':at': { S: ballot.castAt },
                  ':now': { N: String(nowEpochSeconds) },
                  ':p': { S: ballot.proposalId },
                  ':a': { S: ballot.approver },
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...ballotKey(ballot.proposalId, ballot.approver),
                  ...marshall(ballot, { removeUndefinedValues: true }),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...(ballot.signedIn
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: {
                        ...signerKey(ballot.proposalId, ballot.signedIn.oid),
                        approver: { S: ballot.approver },
                        castAt: { S: ballot.castAt },
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (err) {
      if ((err as Error).name !== 'TransactionCanceledException') throw err;
      throw spentError(
        err as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] },
        nowEpochSeconds,
      );
    }
  }

  /**
   * Withdraws a review link (its send failed): from then on it refuses, and castBallot refuses it
   * too. False when no such link exists.
   */
  async revoke(tokenHash: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: tokenKey(tokenHash),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': { S: at } },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }

  /** Every ballot cast on a proposal. */
  async ballots(proposalId: string): Promise<Ballot[]> {
    const out: Ballot[] = [];
    for await (const raw of queryAll(this.client, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :b)',
      ExpressionAttributeValues: { ':pk': { S: `PROPOSAL#${proposalId}` }, ':b': { S: 'BALLOT#' } },
      ConsistentRead: true,
    }))
      out.push(strip(unmarshall(raw)) as unknown as Ballot);
    return out;
  }

  async putLink<K extends LinkKind>(kind: K, token: LinkTokens[K]): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.table,
        Item: { ...linkKey(kind, token.tokenHash), ...marshall(token, { removeUndefinedValues: true }) },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getLink<K extends LinkKind>(kind: K, tokenHash: string): Promise<LinkTokens[K] | undefined> {
    const res = await this.client.send(
      new GetItemCommand({ TableName: this.table, Key: linkKey(kind, tokenHash), ConsistentRead: true }),
    );
    return res.Item ? (strip(unmarshall(res.Item)) as unknown as LinkTokens[K]) : undefined;
  }

  async spendLink(kind: LinkKind, tokenHash: string, at: string): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.table,
          Key: linkKey(kind, tokenHash),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt)',
          ExpressionAttributeValues: { ':at': { S: at } },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionalFailure(err)) return false;
      throw err;
    }
  }
}

function spentError(
  err: { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] },
  now: number,
): TokenSpentError {
  const [token, ballot, signer] = err.CancellationReasons ?? [];
  if (token?.Code === 'ConditionalCheckFailed') {
    const old = token.Item;
    if (!old)
      return new TokenSpentError('the review link is not known (or was deleted after expiry).', SpentReason.MISSING);
    if (old.usedAt?.S)
      return new TokenSpentError(`the review link was already used at ${old.usedAt.S}.`, SpentReason.USED);
    if (old.revokedAt?.S)
      return new TokenSpentError(`the review link was withdrawn at ${old.revokedAt.S}.`, SpentReason.REVOKED);
    if (Number(old.expiresAt?.N ?? 0) <= now)
      return new TokenSpentError('the review link has expired.', SpentReason.EXPIRED);
    return new TokenSpentError('the review link belongs to another proposal or approver.', SpentReason.MISSING);
  }
  if (ballot?.Code === 'ConditionalCheckFailed')
    return new TokenSpentError(
      'this approver has already decided on this proposal (with another link).',
      SpentReason.ALREADY_DECIDED,
    );
  if (signer?.Code === 'ConditionalCheckFailed')
    return new TokenSpentError(
      "the signed-in person already decided on this proposal with another approver's link: one person decides once.",
      SpentReason.SAME_PERSON,
    );
  return new TokenSpentError(
    `the decision could not be recorded (transaction cancelled: ${(err.CancellationReasons ?? []).map((r) => r.Code).join(', ')}); try again.`,
    SpentReason.CONFLICT,
  );
}
