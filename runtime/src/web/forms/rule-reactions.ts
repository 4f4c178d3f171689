/**
 * Our rules (`x-visible-when`, `x-required-when`, `x-compute`) as Formily reactions keyed by
 * their read sets: call inside `createForm({ effects })`.
 *
 *   const compiled = toFormilySchema(schema);
 *   createForm({ effects() { installRuleReactions(compiled); } });
 *
 * Each field with rules gets one `reaction` when Formily creates it (rows columns once per row).
 * Its tracker reads exactly the field's read set (`FieldRules.reads`, found statically from the
 * rule data) — each value whole, so an array or object read (rows, check boxes) is a dependency
 * on every item and key below it — and its effect evaluates the rules on that plain snapshot
 * (`compiled.outcome`, the server's evaluator) outside tracking. A change of field A therefore
 * re-runs only the rules that read A (`compiled.dependants.get('A')`); a change that leaves the
 * snapshot equal (the same value set again) runs nothing. The reaction ends with the field.
 */
import { onFieldInit } from '@formily/core';
import { reaction, toJS, untracked } from '@formily/reactive';
import { applyRuleOutcome, jsonEqual, ruleKeyOf, type FormilyCompiled, type RuleTarget } from '@lianban/runtime';

/** The part of a Formily field the installer needs besides what the rules write. */
interface ReactiveField extends RuleTarget {
  disposers: (() => void)[];
}

/**
 * Installs the rule reactions of a compiled schema in the current form's effects. `onRun`, if
 * given, is told the rule key each time a field's rules are evaluated (tests count re-runs).
 */
export function installRuleReactions(compiled: FormilyCompiled, onRun?: (key: string) => void): void {
  if (compiled.rules.size === 0) return;
  onFieldInit('*', (f) => {
    const field = f as unknown as ReactiveField;
    const key = ruleKeyOf(field.path.toString());
    const rules = compiled.rules.get(key);
    if (!rules || !('disposers' in field)) return;
    const { reads } = rules;
    const form = field.form;
    const dispose = reaction(
      // Whole values (toJS reads every key and item below the path), so a row edit counts too.
      () => reads.map((p) => toJS(form.getValuesIn(p))),
      (snapshot) => untracked(() => {
        onRun?.(key);
        applyRuleOutcome(field, compiled.outcome(rules, (p) => snapshot[reads.indexOf(p)]));
      }),
      { equals: jsonEqual, fireImmediately: true, name: `LianbanRules(${key})` },
    );
    field.disposers.push(dispose);
  });
}
