/** Shapes of the server's answers the designer reads: the shared contract (`@lianban/runtime/contract`), under the designer's names. */
export type {
  Me, Department, DepartmentMode, UserAccount, ApiKeyInfo, IssuedKey, DefinitionSummary, VersionInfo, FormDoc, FlowDoc,
  MatterDraft, MatterDoc, LoginAnswer, CitySummary, CityInput, CityCreated, CityAdminPassword,
  User as SessionUser,
  MatterDraftSummary as MatterSummary,
  MaterialOfItem as Material,
  LinkedItemDef as LinkedItem,
} from '@lianban/runtime/contract';
