// A backup or restore that cannot go on, said in one line with a stable code
// (BACKUP_FILE_UNREADABLE, BACKUP_FILE_INCOMPLETE, BACKUP_FROM_NEWER_VERSION,
// RESTORE_TARGET_NOT_EMPTY…); the commands show it as it is.
export class BackupError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
