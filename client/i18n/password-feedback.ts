// zxcvbn's password feedback (the keys the server sends with `weak_password`) in both languages.
// Loaded with import() only when a password is refused, so the main bundle does not carry it.
import type { Locale } from './locale';

const en = {
  warnings: {
    straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
    keyPattern: 'Short keyboard patterns are easy to guess.',
    simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
    extendedRepeat: 'Repeated character patterns like "abcabcabc" are easy to guess.',
    sequences: 'Common character sequences like "abc" are easy to guess.',
    recentYears: 'Recent years are easy to guess.',
    dates: 'Dates are easy to guess.',
    topTen: 'This is a heavily used password.',
    topHundred: 'This is a frequently used password.',
    common: 'This is a commonly used password.',
    similarToCommon: 'This is similar to a commonly used password.',
    wordByItself: 'Single words are easy to guess.',
    namesByThemselves: 'Single names or surnames are easy to guess.',
    commonNames: 'Common names and surnames are easy to guess.',
    userInputs: 'Avoid your email address, your name and the name of this site.',
    pwned: 'Your password was exposed by a data breach on the Internet.',
  },
  suggestions: {
    l33t: "Avoid predictable letter substitutions like '@' for 'a'.",
    reverseWords: 'Avoid reversed spellings of common words.',
    allUppercase: 'Capitalize some, but not all letters.',
    capitalization: 'Capitalize more than the first letter.',
    dates: 'Avoid dates and years that are associated with you.',
    recentYears: 'Avoid recent years.',
    associatedYears: 'Avoid years that are associated with you.',
    sequences: 'Avoid common character sequences.',
    repeated: 'Avoid repeated words and characters.',
    longerKeyboardPattern:
      'Use longer keyboard patterns and change typing direction multiple times.',
    anotherWord: 'Add more words that are less common.',
    useWords: 'Use multiple words, but avoid common phrases.',
    noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
    pwned: 'If you use this password elsewhere, you should change it.',
  },
};

export type PasswordFeedbackMessages = {
  [Part in keyof typeof en]: Record<keyof (typeof en)[Part], string>;
};

const zhTW: PasswordFeedbackMessages = {
  warnings: {
    straightRow: '鍵盤上一整排的按鍵很容易被猜到。',
    keyPattern: '簡短的鍵盤排列很容易被猜到。',
    simpleRepeat: '像「aaa」這樣重複的字元很容易被猜到。',
    extendedRepeat: '像「abcabcabc」這樣重複的字元組合很容易被猜到。',
    sequences: '像「abc」這樣常見的字元順序很容易被猜到。',
    recentYears: '最近的年份很容易被猜到。',
    dates: '日期很容易被猜到。',
    topTen: '這是極常被使用的密碼。',
    topHundred: '這是很常被使用的密碼。',
    common: '這是常被使用的密碼。',
    similarToCommon: '這與常被使用的密碼很相似。',
    wordByItself: '單一個詞很容易被猜到。',
    namesByThemselves: '單獨的名字或姓氏很容易被猜到。',
    commonNames: '常見的名字和姓氏很容易被猜到。',
    userInputs: '請避免使用您的電子郵件地址、姓名或本網站的名稱。',
    pwned: '您的密碼曾在網路上的資料外洩事件中曝光。',
  },
  suggestions: {
    l33t: '避免可預測的字母替換，例如用「@」代替「a」。',
    reverseWords: '避免把常見的詞倒過來拼寫。',
    allUppercase: '只把部分字母改成大寫，而不是全部。',
    capitalization: '除了第一個字母，也把其他字母改成大寫。',
    dates: '避免使用與您相關的日期和年份。',
    recentYears: '避免使用最近的年份。',
    associatedYears: '避免使用與您相關的年份。',
    sequences: '避免常見的字元順序。',
    repeated: '避免重複的詞和字元。',
    longerKeyboardPattern: '使用較長的鍵盤排列，並多次改變輸入方向。',
    anotherWord: '再加入幾個較不常見的詞。',
    useWords: '使用多個詞，但避免常見的片語。',
    noNeed: '不必使用符號、數字或大寫字母，也能設定安全的密碼。',
    pwned: '如果您在其他地方也使用這個密碼，建議更換。',
  },
};

export const passwordFeedbackMessages: Record<Locale, PasswordFeedbackMessages> = {
  en,
  'zh-TW': zhTW,
};
