export { ChangePasswordForm } from './ChangePasswordForm';
export type { PasswordChangeValues } from './ChangePasswordForm';
export { ForgotPasswordForm } from './ForgotPasswordForm';
export { FormError } from './FormError';
export { LoginForm } from './LoginForm';
export type { LoginValues } from './LoginForm';
export { RegisterForm } from './RegisterForm';
export type { RegisterValues } from './RegisterForm';
export { ResetPasswordForm } from './ResetPasswordForm';
export { useForm } from './use-form';
export {
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  collectErrors,
  requiredProblem,
} from './validation';
