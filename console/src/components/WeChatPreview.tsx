import { useApp } from '../context';

// A message as it appears in WeChat: the account's avatar and a white
// bubble on the chat's grey.
export function WeChatPreview(props: { text: string; label: string; lang: 'en' | 'zh' }) {
  const { t } = useApp();
  return (
    <figure class="wechat" lang={props.lang === 'zh' ? 'zh-CN' : 'en'}>
      <figcaption>{props.label}</figcaption>
      <div class="wechat-screen">
        <div class="wechat-title">{t('app.name')}</div>
        <div class="wechat-row">
          <span class="wechat-avatar" aria-hidden="true">证</span>
          <div class={props.text ? 'wechat-bubble' : 'wechat-bubble empty'}>{props.text || t('compose.previewEmpty')}</div>
        </div>
      </div>
    </figure>
  );
}
