// The dependency rule registry, in reporting order.
import { deprecatedPackage } from './deprecatedPackage';
import { licenseNotice } from './licenseNotice';
import { maliciousPackage } from './maliciousPackage';
import type { DependencyRule } from './rule';
import { typosquatSuspect } from './typosquatSuspect';
import { unknownPackage } from './unknownPackage';
import { unpinnedDependency } from './unpinnedDependency';
import { vulnerableDependency } from './vulnerableDependency';
import { yankedVersion } from './yankedVersion';

export const DEPENDENCY_RULES: readonly DependencyRule[] = [
  maliciousPackage,
  vulnerableDependency,
  typosquatSuspect,
  unknownPackage,
  yankedVersion,
  deprecatedPackage,
  unpinnedDependency,
  licenseNotice,
];
