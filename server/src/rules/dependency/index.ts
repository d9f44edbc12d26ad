// The dependency rule registry, in reporting order.
import { maliciousPackage } from './maliciousPackage';
import type { DependencyRule } from './rule';
import { unpinnedDependency } from './unpinnedDependency';
import { vulnerableDependency } from './vulnerableDependency';

export const DEPENDENCY_RULES: readonly DependencyRule[] = [maliciousPackage, vulnerableDependency, unpinnedDependency];
