import { useEffect, useState } from 'react';

const PHONE = '(max-width: 640px)';

/** Whether the screen is phone-sized (the layout the stylesheet switches at the same width). */
export function usePhone(): boolean {
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE).matches);
  useEffect(() => {
    const query = window.matchMedia(PHONE);
    const onChange = () => setPhone(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  return phone;
}
