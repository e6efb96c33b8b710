import { AvatarEditor, EmailStatus, ProfileDetailsForm } from '@/features/account';
import { ChangePasswordForm } from '@/features/auth';
import { AppShell } from '@/app/layouts/AppShell';
import { PageHeading } from '@/app/layouts/PageHeading';
import { usePageTitle } from '@/app/use-page-title';
import {
  changePassword,
  displayNameOf,
  removeAvatar,
  resendVerification,
  showToast,
  updateProfile,
  uploadAvatar,
  userStore,
  useStore,
} from '@/store';
import { Card } from '@/ui';

export function ProfilePage() {
  usePageTitle('Profile');
  const user = useStore(userStore, (state) => state.user);
  if (!user) {
    return null;
  }
  const name = displayNameOf(user);

  return (
    <AppShell>
      <PageHeading title="Profile" description="How other people see you in meetings." />
      <div class="grid max-w-3xl gap-6">
        <Card title="Photo">
          <AvatarEditor
            name={name}
            avatarUrl={user.avatar_url}
            onUpload={async (file) => {
              await uploadAvatar(file);
              showToast({ tone: 'success', title: 'Profile photo updated' });
            }}
            onRemove={async () => {
              await removeAvatar();
              showToast({ tone: 'success', title: 'Profile photo removed' });
            }}
          />
        </Card>
        <Card title="Personal details">
          <ProfileDetailsForm
            key={`${user.first_name}\n${user.last_name}`}
            initial={{ firstName: user.first_name, lastName: user.last_name }}
            onSubmit={async ({ firstName, lastName }) => {
              await updateProfile({ first_name: firstName, last_name: lastName });
              showToast({ tone: 'success', title: 'Profile saved' });
            }}
          />
        </Card>
        <Card title="Email">
          <EmailStatus
            email={user.email}
            verified={user.email_verified}
            onResend={resendVerification}
          />
        </Card>
        <Card
          title="Password"
          description="Changing it signs you out everywhere except on this device."
        >
          <ChangePasswordForm
            email={user.email}
            onSubmit={async ({ currentPassword, newPassword }) => {
              await changePassword({
                current_password: currentPassword,
                new_password: newPassword,
              });
              showToast({ tone: 'success', title: 'Password changed' });
            }}
          />
        </Card>
      </div>
    </AppShell>
  );
}
