/** Browser file helpers for .bpmn import (file picker) and export (download). */

/** Offers `xml` as a download named `fileName`. */
export function downloadXml(xml: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([xml], { type: 'application/xml' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Reads a picked file as UTF-8 text. */
export function readTextFile(file: File): Promise<string> {
  return file.text();
}
