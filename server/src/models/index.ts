/**
 * Mongoose models, registered on one connection (so tests and processes can hold several).
 *
 *   const models = createModels(db.connection);
 *   await models.User.findOne({ tenant, username });
 */
import type { Connection } from 'mongoose';
import { apiKeySchema, departmentSchema, loginThrottleSchema, sessionSchema, tenantSchema, userSchema } from './accounts';
import { auditSchema } from './audit';
import { caseSchema, counterSchema, notificationSchema, outboxSchema, timerSchema } from './cases';
import { leaseSchema } from './leases';
import { statsContributionSchema, statsOpenSchema, statsRollupSchema, statsStateSchema } from './stats-rollup';
import { publicThrottleSchema } from './public';
import { officialDocumentSchema, signingKeySchema } from './documents';
import { evaluationSchema } from './evaluations';
import { documentTemplateSchema } from './document-templates';
import { flowDefSchema, formDefSchema, matterDefSchema, matterVersionSchema } from './definitions';
import { smsBudgetSchema, smsMessageSchema, smsSettingsSchema } from './sms';
import { oidcLoginSchema } from './oidc';
import { matterTemplateSchema } from './templates';
import { exchangeRecordSchema } from './exchange';
import { calendarYearSchema } from './calendar';

export function createModels(conn: Connection) {
  // Query filters built from request input can never smuggle in operators such as $gt/$where;
  // operators the services write themselves are marked with mongoose's `trusted()`.
  conn.set('sanitizeFilter', true);
  return {
    Tenant: conn.model('Tenant', tenantSchema, 'tenants'),
    Department: conn.model('Department', departmentSchema, 'departments'),
    User: conn.model('User', userSchema, 'users'),
    Session: conn.model('Session', sessionSchema, 'sessions'),
    ApiKey: conn.model('ApiKey', apiKeySchema, 'apikeys'),
    LoginThrottle: conn.model('LoginThrottle', loginThrottleSchema, 'login_throttle'),
    Audit: conn.model('Audit', auditSchema, 'audit'),
    FormDef: conn.model('FormDef', formDefSchema, 'forms'),
    FlowDef: conn.model('FlowDef', flowDefSchema, 'flows'),
    MatterDef: conn.model('MatterDef', matterDefSchema, 'matters'),
    MatterVersion: conn.model('MatterVersion', matterVersionSchema, 'matter_versions'),
    Case: conn.model('Case', caseSchema, 'cases'),
    Counter: conn.model('Counter', counterSchema, 'counters'),
    Outbox: conn.model('Outbox', outboxSchema, 'outbox'),
    Timer: conn.model('Timer', timerSchema, 'timers'),
    Notification: conn.model('Notification', notificationSchema, 'notifications'),
    Lease: conn.model('Lease', leaseSchema, 'leases'),
    PublicThrottle: conn.model('PublicThrottle', publicThrottleSchema, 'public_throttle'),
    OfficialDocument: conn.model('OfficialDocument', officialDocumentSchema, 'documents'),
    SigningKey: conn.model('SigningKey', signingKeySchema, 'signing_keys'),
    Evaluation: conn.model('Evaluation', evaluationSchema, 'evaluations'),
    SmsSettings: conn.model('SmsSettings', smsSettingsSchema, 'sms_settings'),
    SmsMessage: conn.model('SmsMessage', smsMessageSchema, 'sms_messages'),
    SmsBudget: conn.model('SmsBudget', smsBudgetSchema, 'sms_budget'),
    DocumentTemplate: conn.model('DocumentTemplate', documentTemplateSchema, 'document_templates'),
    OidcLogin: conn.model('OidcLogin', oidcLoginSchema, 'oidc_logins'),
    MatterTemplate: conn.model('MatterTemplate', matterTemplateSchema, 'matter_templates'),
    ExchangeRecord: conn.model('ExchangeRecord', exchangeRecordSchema, 'exchange_records'),
    StatsRollup: conn.model('StatsRollup', statsRollupSchema, 'stats_rollups'),
    StatsOpen: conn.model('StatsOpen', statsOpenSchema, 'stats_open'),
    StatsContribution: conn.model('StatsContribution', statsContributionSchema, 'stats_contributions'),
    StatsState: conn.model('StatsState', statsStateSchema, 'stats_state'),
    CalendarYear: conn.model('CalendarYear', calendarYearSchema, 'calendar'),
  };
}

export type Models = ReturnType<typeof createModels>;
export type { Role, TenantDoc, DepartmentDoc, UserDoc, SessionDoc, ApiKeyDoc, LoginThrottleDoc } from './accounts';
export type { AuditDoc } from './audit';
export type { OidcLoginDoc } from './oidc';
export type { LeaseDoc } from './leases';
export type { PublicThrottleDoc } from './public';
export type { OfficialDocumentDoc, SigningKeyDoc } from './documents';
export type { EvaluationDoc, EvaluationFollowUpDoc } from './evaluations';
export type { DocumentTemplateDoc } from './document-templates';
export type { MatterTemplateDoc } from './templates';
export type { FormDefDoc, FlowDefDoc, MatterDefDoc, MatterVersionDoc, LinkedItem } from './definitions';
export type { CaseDoc, CaseComment, CaseTask, CaseStatus, OutboxDoc, TimerDoc, NotificationDoc } from './cases';
export type { SmsKind, SmsTemplateEntry, SmsSettingsDoc, SmsMessageDoc, SmsBudgetDoc, SmsStatus } from './sms';
export type { ExchangeRecordDoc, ExchangeEvent, ExchangeStatus } from './exchange';
export type { CalendarYearDoc, CalendarDayDoc } from './calendar';
