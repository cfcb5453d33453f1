import { registerDecorator, type ValidationOptions } from 'class-validator';
import { CREDIT_CODE_RULES, creditCodeProblem, normaliseCreditCode } from '#domain';

/** A unified social credit code whose check character is right (GB 32100-2015). */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCreditCode',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && creditCodeProblem(normaliseCreditCode(value)) === null,
        defaultMessage: (args) => {
          const value = args?.value;
          if (typeof value !== 'string') return `${args?.property} must be a string`;
          const problem = creditCodeProblem(normaliseCreditCode(value));
          return `${args?.property} ${problem ? CREDIT_CODE_RULES[problem] : 'is invalid'}`;
        },
      },
    });
}
