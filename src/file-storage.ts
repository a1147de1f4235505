/**
 * Where Open WebUI keeps the files users upload (documents, images, generated images).
 */
export enum FileStorage {
  /**
   * An encrypted EFS file system mounted at Open WebUI's data directory (`/app/backend/data`)
   * through an access point with IAM authorization; every task sees the same files. Holds
   * everything Open WebUI writes to disk, caches included.
   */
  EFS = 'EFS',

  /**
   * An encrypted, TLS-only, versioned S3 bucket (`STORAGE_PROVIDER=s3`), reached through the VPC's
   * S3 gateway endpoint with the task role's credentials. Cheaper per GiB and without a file system
   * to mount; the tasks' data directory is then their own ephemeral storage (caches only).
   */
  S3 = 'S3',
}
