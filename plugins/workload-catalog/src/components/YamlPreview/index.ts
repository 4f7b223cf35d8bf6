export { YamlPreview, type YamlPreviewProps } from './YamlPreview';
