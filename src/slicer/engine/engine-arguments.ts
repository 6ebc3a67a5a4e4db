// The engine's command line. Every resolved setting goes in: globals with `-s`, then each extruder's
// values after `-e<N>`; each model is loaded (`-l`) right after `-e<its extruder>`, because a model
// prints with the extruder selected last before it.
import type { EngineSettings } from '../slice-api.js';

export interface EngineMeshFile {
  path: string;
  extruder: number;
}

export interface EngineArgumentsInput {
  /** What the engine needs to report to us (CuraEngine 5.13's callback names), right after `slice`. */
  hostArguments?: readonly string[];
  /** `-v`: the 2020 engine logs its final header (time, filament, bounds) only when verbose. */
  verbose?: boolean;
  machineFile: string;
  settings: EngineSettings;
  meshes: readonly EngineMeshFile[];
  outputFile: string;
}

/**
 * Settings we decide ourselves whatever the profile says: placement is applied to the vertices
 * (plate coordinates), so the engine must not move the models.
 */
export const fixedEngineSettings: Readonly<Record<string, string>> = { center_object: 'False' };

export function buildEngineArguments({ hostArguments = [], verbose = true, machineFile, settings, meshes, outputFile }: EngineArgumentsInput): string[] {
  const args = ['slice', ...hostArguments, ...(verbose ? ['-v'] : []), '-j', machineFile];
  const pushSettings = (values: Record<string, string>) => {
    for (const [key, value] of Object.entries(values)) {
      if (key in fixedEngineSettings) continue;
      args.push('-s', `${key}=${value}`);
    }
    for (const [key, value] of Object.entries(fixedEngineSettings)) args.push('-s', `${key}=${value}`);
  };
  pushSettings(settings.global);
  settings.extruders.forEach((values, index) => {
    args.push(`-e${index}`);
    pushSettings(values);
  });
  for (const mesh of meshes) args.push(`-e${mesh.extruder}`, '-l', mesh.path);
  args.push('-o', outputFile);
  return args;
}
