// The page's buttons and outputs; every action is also on window.example for the tests.
export type Actions = Record<'signIn' | 'signInForApi' | 'callApi' | 'refresh' | 'userinfo' | 'sessionStatus' | 'revoke' | 'signOut', () => Promise<unknown>>;

declare global {
  interface Window {
    example: Actions & { ready: Promise<void> };
  }
}

const BUTTONS: Record<string, keyof Actions> = {
  'sign-in': 'signIn',
  'sign-in-api': 'signInForApi',
  'call-api': 'callApi',
  refresh: 'refresh',
  userinfo: 'userinfo',
  'session-status': 'sessionStatus',
  revoke: 'revoke',
  'sign-out': 'signOut',
};

export const show = (id: string, value: unknown): void => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  element.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
};

export function mount(actions: Actions, ready: Promise<void>): void {
  window.example = { ...actions, ready };
  for (const [id, name] of Object.entries(BUTTONS)) {
    const button = document.getElementById(id) as HTMLButtonElement;
    button.addEventListener('click', () => {
      show('error', '');
      actions[name]().then(
        (result) => {
          show('out', result ?? 'done');
        },
        (err: unknown) => {
          show('error', `${(err as { code?: string }).code ?? (err as Error).name}: ${(err as Error).message}`);
        },
      );
    });
    void ready.then(() => (button.disabled = false));
  }
}
