import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { errorMessage, isApiError } from '@/api';
import type { FormErrors } from './validation';
import { hasErrors } from './validation';

export interface FormOptions<Field extends string> {
  initial: Record<Field, string>;
  validate: (values: Record<Field, string>) => FormErrors<Field>;
  /** May throw an ApiError; its problems are shown on the fields or above the button. */
  onSubmit: (values: Record<Field, string>) => unknown;
  /** Error codes that belong to one field, e.g. `{ email_taken: 'email' }`. */
  errorFields?: Partial<Record<string, NoInfer<Field>>>;
}

const camelCase = (name: string) =>
  name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/** Where the server's complaint belongs: fields named in its details, or the code's field. */
export function serverProblems<Field extends string>(
  error: unknown,
  fields: readonly Field[],
  errorFields: Partial<Record<string, Field>> = {},
): { fieldErrors: FormErrors<Field>; formError: string | null } {
  const fieldErrors: FormErrors<Field> = {};
  if (isApiError(error)) {
    for (const [name, message] of Object.entries(error.fieldErrors)) {
      const field = fields.find((candidate) => candidate === name || candidate === camelCase(name));
      if (field) {
        fieldErrors[field] ??= message;
      }
    }
    const codeField = errorFields[error.code];
    if (!hasErrors(fieldErrors) && codeField) {
      fieldErrors[codeField] = error.message;
    }
  }
  return { fieldErrors, formError: hasErrors(fieldErrors) ? null : errorMessage(error) };
}

/** Field values, their problems and a submit handler that validates before sending. */
export function useForm<Field extends string>({
  initial,
  validate,
  onSubmit,
  errorFields,
}: FormOptions<Field>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  function field(name: Field) {
    return {
      name,
      value: values[name],
      error: errors[name] ?? null,
      onInput: (event: TargetedEvent<HTMLInputElement>) => {
        const value = event.currentTarget.value;
        setValues((current) => ({ ...current, [name]: value }));
        if (errors[name]) {
          setErrors((current) => ({ ...current, [name]: undefined }));
        }
      },
    };
  }

  async function send(checked: Record<Field, string>) {
    setSubmitting(true);
    setFormError(null);
    try {
      await onSubmit(checked);
    } catch (error) {
      const problems = serverProblems(error, Object.keys(initial) as Field[], errorFields);
      setErrors(problems.fieldErrors);
      setFormError(problems.formError);
    } finally {
      setSubmitting(false);
    }
  }

  function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = validate(values);
    setErrors(problems);
    if (!hasErrors(problems)) {
      void send(values);
    }
  }

  function reset() {
    setValues(initial);
    setErrors({});
    setFormError(null);
  }

  return { values, errors, formError, submitting, field, submit, reset };
}
