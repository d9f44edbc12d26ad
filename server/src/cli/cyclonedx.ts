// The parts of the CycloneDX library `aidr bom` uses, in one module: the build makes it a bundle of
// its own (server/out/cli-cyclonedx.js) that only `aidr bom` loads, so a scan never reads or compiles
// it. Sub-path imports: the package root also exports the validators, which pull in ajv and friends.
export * as Enums from '@cyclonedx/cyclonedx-library/Enums';
export * as Models from '@cyclonedx/cyclonedx-library/Models';
export * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
export { fixupSpdxId } from '@cyclonedx/cyclonedx-library/SPDX';
export * as Spec from '@cyclonedx/cyclonedx-library/Spec';
