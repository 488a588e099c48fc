import { useApp } from '../context';
import { Link } from '../components/Link';

export function NotFound() {
  const { t } = useApp();
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><Link to={{ name: 'broadcasts' }}>{t('notFound.back')}</Link></p>
    </section>
  );
}
