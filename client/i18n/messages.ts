// Every string the UI shows, in English and Traditional Chinese. TypeScript makes sure both
// languages have every key: add a key to `en`, and `zhTW` fails to compile until it has it too.
export const en = {
  // CUSTOMIZE: the product name and tagline.
  appName: 'Acme SaaS',
  tagline: 'Your subscription, in your hands.',
  nav: { account: 'Account', pricing: 'Pricing', signIn: 'Sign in', signUp: 'Create account' },
  language: { label: 'Language', en: 'English', 'zh-TW': '繁體中文' },
  form: {
    email: 'Email',
    password: 'Password',
    passwordHint: '8 to 128 characters.',
    displayName: 'Display name (optional)',
    working: 'Please wait…',
  },
  signIn: {
    title: 'Sign in',
    submit: 'Sign in',
    noAccount: 'No account yet?',
    createOne: 'Create one',
    demoHint: 'Try the demo account: demo@example.com / demo-password',
  },
  signUp: {
    title: 'Create your account',
    submit: 'Create account',
    haveAccount: 'Already have an account?',
    signInInstead: 'Sign in',
  },
  account: {
    title: 'Your account',
    profile: 'Profile',
    email: 'Email',
    displayName: 'Display name',
    signOut: 'Sign out',
    signingOut: 'Signing out…',
  },
  errors: {
    invalidEmail: 'Enter a valid email address.',
    passwordLength: 'Password must be 8 to 128 characters.',
    emailTaken: 'An account with this email already exists. Sign in instead?',
    invalidCredentials: 'Incorrect email or password.',
    unauthenticated: 'Your session has ended. Please sign in again.',
    rateLimited: (seconds: number) => `Too many attempts. Try again in ${seconds} seconds.`,
    network: 'Cannot reach the server. Check your connection and try again.',
    generic: 'Something went wrong on our side. Please try again.',
  },
  notFound: { title: 'Page not found', back: 'Go to your account' },
};

export type Messages = typeof en;

export const zhTW: Messages = {
  appName: 'Acme SaaS',
  tagline: '訂閱方案，自己管理。',
  nav: { account: '帳戶', pricing: '方案價格', signIn: '登入', signUp: '建立帳戶' },
  language: { label: '語言', en: 'English', 'zh-TW': '繁體中文' },
  form: {
    email: '電子郵件',
    password: '密碼',
    passwordHint: '8 至 128 個字元。',
    displayName: '顯示名稱（選填）',
    working: '請稍候…',
  },
  signIn: {
    title: '登入',
    submit: '登入',
    noAccount: '還沒有帳戶？',
    createOne: '立即建立',
    demoHint: '試用示範帳戶：demo@example.com / demo-password',
  },
  signUp: {
    title: '建立帳戶',
    submit: '建立帳戶',
    haveAccount: '已經有帳戶了？',
    signInInstead: '登入',
  },
  account: {
    title: '我的帳戶',
    profile: '個人資料',
    email: '電子郵件',
    displayName: '顯示名稱',
    signOut: '登出',
    signingOut: '登出中…',
  },
  errors: {
    invalidEmail: '請輸入有效的電子郵件地址。',
    passwordLength: '密碼長度須為 8 至 128 個字元。',
    emailTaken: '這個電子郵件已註冊過帳戶，要改為登入嗎？',
    invalidCredentials: '電子郵件或密碼不正確。',
    unauthenticated: '登入狀態已結束，請重新登入。',
    rateLimited: (seconds: number) => `嘗試次數過多，請於 ${seconds} 秒後再試。`,
    network: '無法連線到伺服器，請檢查網路後再試一次。',
    generic: '系統發生錯誤，請稍後再試。',
  },
  notFound: { title: '找不到這個頁面', back: '前往我的帳戶' },
};
