export { JoinByCodeForm } from './JoinByCodeForm';
export type { JoinByCodeFormProps } from './JoinByCodeForm';
