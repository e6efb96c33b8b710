import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { FormErrors } from './validation';
import { hasErrors } from './validation';

export interface FormOptions<Field extends string> {
  initial: Record<Field, string>;
  validate: (values: Record<Field, string>) => FormErrors<Field>;
  onSubmit: (values: Record<Field, string>) => void | Promise<void>;
}

/** Field values, their problems and a submit handler that validates before sending. */
export function useForm<Field extends string>({ initial, validate, onSubmit }: FormOptions<Field>) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors<Field>>({});
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

  function submit(event: TargetedEvent<HTMLFormElement>) {
    event.preventDefault();
    const problems = validate(values);
    setErrors(problems);
    if (hasErrors(problems)) {
      return;
    }
    setSubmitting(true);
    // onSubmit reports its own failures; the form only needs to know when it is done.
    void Promise.resolve(onSubmit(values)).finally(() => {
      setSubmitting(false);
    });
  }

  return { values, errors, submitting, field, submit };
}
