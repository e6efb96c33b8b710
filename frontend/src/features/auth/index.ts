export { ForgotPasswordForm } from './ForgotPasswordForm';
export { LoginForm } from './LoginForm';
export type { LoginValues } from './LoginForm';
export { RegisterForm } from './RegisterForm';
export type { RegisterValues } from './RegisterForm';
export { ResetPasswordForm } from './ResetPasswordForm';
export { MIN_PASSWORD_LENGTH } from './validation';
