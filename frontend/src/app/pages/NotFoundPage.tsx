import { AppShell } from '@/app/layouts/AppShell';
import { paths } from '@/app/routes';
import { usePageTitle } from '@/app/use-page-title';
import { buttonClasses, Card } from '@/ui';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <AppShell>
      <Card class="mx-auto mt-8 max-w-lg text-center">
        <p class="text-sm font-semibold text-green-700">404</p>
        <h1 class="mt-2 text-2xl font-semibold text-gray-900">Page not found</h1>
        <p class="mt-2 text-gray-600">The page you are looking for does not exist or has moved.</p>
        <a href={paths.dashboard} class={`${buttonClasses('primary')} mt-6`}>
          Go to dashboard
        </a>
      </Card>
    </AppShell>
  );
}
