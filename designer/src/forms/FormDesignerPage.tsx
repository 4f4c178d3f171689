/** Placeholder; replaced by the form designer. */
export function FormDesignerPage() {
  return <div>表单设计</div>;
}
