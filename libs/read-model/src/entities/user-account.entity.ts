import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per account, for the admin's user list. Never holds the password hash. */
@Entity({ name: 'user_account' })
export class UserAccount {
  @PrimaryColumn('uuid') id!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'display_name' }) displayName!: string;
  @Column('text') role!: string;
  @Column('text', { nullable: true }) department!: string | null;
  @Column('text', { nullable: true }) street!: string | null;
  @Column('text') status!: string;
  @Column('boolean', { name: 'must_change_password' }) mustChangePassword!: boolean;
  @Column('integer') failures!: number;
  @Column('timestamptz', { name: 'locked_until', nullable: true }) lockedUntil!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'last_login_at', nullable: true }) lastLoginAt!: Date | null;
  @Column('integer') version!: number;
}

/** A refresh-token session. The refresh secret itself is never stored, only its SHA-256. */
@Entity({ name: 'auth_session' })
export class AuthSession {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'user_id' }) userId!: string;
  @Column('text') username!: string;
  @Column('text', { name: 'refresh_hash' }) refreshHash!: string;
  /** The secret's hash before the last rotation: seeing it again means a copy was kept. */
  @Column('text', { name: 'previous_hash', nullable: true }) previousHash!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'refreshed_at' }) refreshedAt!: Date;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column('text', { name: 'revoke_reason', nullable: true }) revokeReason!: string | null;
  @Column('text', { name: 'client_ip', nullable: true }) clientIp!: string | null;
  @Column('text', { name: 'user_agent', nullable: true }) userAgent!: string | null;
}
