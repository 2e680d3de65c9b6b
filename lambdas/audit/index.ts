/** The audit log's guard: archiving every record out of its writers' reach, and verifying against it. */
export { archiveChanges, sameRecord, type ArchiverDeps, type ArchiveReport } from './archive.js';
export { checkChain } from './chain.js';
export { verifyWithArchive, type ArchiveVerdict, type ArchiveProblem } from './verify.js';
