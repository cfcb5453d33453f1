import { Module } from '@nestjs/common';
import { UsersController } from './users.controller.js';

/** User administration (账号管理): the routes over the Accounts service (auth/accounts.ts). */
@Module({ controllers: [UsersController] })
export class UsersModule {}
