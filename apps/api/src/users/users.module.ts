import { Module } from '@nestjs/common';
import { ChangeAccountHandler } from './change-account/change-account.handler.js';
import { GetUserHandler } from './get-user/get-user.handler.js';
import { ListUsersHandler } from './list-users/list-users.handler.js';
import { UsersController } from './users.controller.js';

/**
 * User administration (账号管理): create-user and reset-password (their DTOs; both run on the
 * Accounts service in auth/, which login and the password change share), change-account
 * (assignment, unlock, disable, enable, with the last-admin rule), list-users, get-user, and
 * one controller.
 */
@Module({
  controllers: [UsersController],
  providers: [ChangeAccountHandler, GetUserHandler, ListUsersHandler],
})
export class UsersModule {}
