// Build SDK model objects from wire-shaped (PascalCase) maps exactly as the SDK does for responses.
import * as $dara from '@darabonba/typescript';

export function fromWire<T extends $dara.Model>(wire: Record<string, unknown>, model: T): T {
  return $dara.cast(wire, model);
}
