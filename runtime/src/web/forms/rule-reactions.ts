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
 * A read-only form (`readPretty`) shows the stored computed values as they are.
 */
import { onFieldInit } from '@formily/core';
import { reaction, toJS, untracked } from '@formily/reactive';
import { applyRuleOutcome, jsonEqual, ruleKeyOf, type FormilyCompiled, type RuleTarget } from '@lianban/runtime';

/** The part of a Formily field the installer needs besides what the rules write. */
interface ReactiveField extends RuleTarget {
  disposers: (() => void)[];
  form: RuleTarget['form'] & { pattern: string };
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
        const outcome = compiled.outcome(rules, (p) => snapshot[reads.indexOf(p)]);
        // Read-only, the values are the stored ones: the server computed them, and what they were
        // computed from may be masked for the reader (a staff member sees 320402************), so
        // computing again would blank 性别, 出生年月 and 法定退休年龄. Visibility still applies.
        applyRuleOutcome(field, form.pattern === 'readPretty' ? { ...outcome, computed: false } : outcome);
      }),
      { equals: jsonEqual, fireImmediately: true, name: `LianbanRules(${key})` },
    );
    field.disposers.push(dispose);
  });
}
