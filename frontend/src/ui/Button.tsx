import type { ButtonHTMLAttributes, ComponentChildren } from 'preact';
import { cn } from '@/lib/cn';
import { Spinner } from './Spinner';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'danger-outline' | 'ghost';
export type ButtonSize = 'sm' | 'md' | 'lg';

export interface ButtonProps extends Omit<
  ButtonHTMLAttributes,
  'size' | 'disabled' | 'class' | 'icon'
> {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /** Shows a spinner and blocks further clicks while an action runs. */
  loading?: boolean;
  disabled?: boolean;
  fullWidth?: boolean;
  icon?: ComponentChildren;
  class?: string;
}

// White text sits on green-700 and error-600, the lightest fills that pass WCAG AA.
const VARIANTS: Record<ButtonVariant, string> = {
  primary: 'bg-green-700 text-white shadow-sm hover:bg-green-800 active:bg-green-900',
  secondary:
    'border border-gray-300 bg-white text-gray-800 shadow-sm hover:bg-gray-50 active:bg-gray-100',
  // Darker on hover, not lighter: white text keeps its 4.5:1 contrast.
  danger: 'bg-error-600 text-white shadow-sm hover:brightness-90 active:brightness-75',
  // A destructive action that asks first: set apart by colour, quieter than the confirm.
  'danger-outline':
    'border border-error-600/40 bg-white text-error-600 shadow-sm hover:bg-error-500/5 active:bg-error-500/10',
  ghost: 'text-gray-700 hover:bg-gray-100 active:bg-gray-200',
};

const SIZES: Record<ButtonSize, string> = {
  sm: 'h-8 gap-1.5 px-3 text-sm',
  md: 'h-10 gap-2 px-4 text-sm',
  lg: 'h-11 gap-2 px-6 text-base',
};

export function buttonClasses(
  variant: ButtonVariant = 'primary',
  size: ButtonSize = 'md',
  fullWidth = false,
): string {
  return cn(
    'inline-flex shrink-0 cursor-pointer items-center justify-center rounded-full font-medium whitespace-nowrap transition-colors',
    'disabled:cursor-not-allowed disabled:opacity-50',
    VARIANTS[variant],
    SIZES[size],
    fullWidth && 'w-full',
  );
}

export function Button({
  variant = 'primary',
  size = 'md',
  loading = false,
  disabled = false,
  fullWidth = false,
  icon,
  type = 'button',
  class: className,
  children,
  ...rest
}: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      disabled={disabled || loading}
      aria-busy={loading || undefined}
      data-variant={variant}
      class={cn(buttonClasses(variant, size, fullWidth), className)}
    >
      {loading ? <Spinner /> : icon}
      {children}
    </button>
  );
}
