/** The device hierarchy's records, as the store returns them (the contract's lab area mirrors them). */

export type LabSampleKind = 'wafer' | 'piece' | 'virtual';

export interface LabSample {
  id: string;
  name: string;
  kind: LabSampleKind;
  materialStack: string;
  /** YYYY-MM-DD, or null when not known. */
  fabricatedOn: string | null;
  notes: string;
  createdAt: string;
  updatedAt: string;
  chips: number;
  devices: number;
}

export interface LabChip {
  id: string;
  sampleId: string;
  sampleName: string;
  name: string;
  /** A crossbar's word lines × bit lines; both null for a chip of single devices. */
  rows: number | null;
  cols: number | null;
  materialStack: string;
  notes: string;
  createdAt: string;
  updatedAt: string;
  devices: number;
}

export interface LabDevice {
  id: string;
  chipId: string;
  chipName: string;
  sampleId: string;
  sampleName: string;
  name: string;
  kind: 'physical' | 'virtual';
  /** For a virtual device: 'sim:<preset>', 'idn:<*IDN?>' or 'instrument:<driver> on <port>'. */
  virtualKey: string | null;
  wordLine: number | null;
  bitLine: number | null;
  materialStack: string;
  /** Device area in m², or null. */
  areaM2: number | null;
  fabricatedOn: string | null;
  notes: string;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  runs: number;
}

export interface NewLabSample {
  name: string;
  kind: 'wafer' | 'piece';
  materialStack?: string;
  fabricatedOn?: string | null;
  notes?: string;
}

export interface NewLabChip {
  sampleId: string;
  name: string;
  rows?: number | null;
  cols?: number | null;
  materialStack?: string;
  notes?: string;
}

export interface NewLabDevice {
  chipId: string;
  /** Default: "WL<w>/BL<b>" on a crossbar. */
  name?: string;
  wordLine?: number | null;
  bitLine?: number | null;
  materialStack?: string;
  areaM2?: number | null;
  fabricatedOn?: string | null;
  notes?: string;
}

export type LabSamplePatch = Partial<Omit<NewLabSample, 'kind'>> & { kind?: 'wafer' | 'piece' };
export type LabChipPatch = Partial<Pick<NewLabChip, 'name' | 'materialStack' | 'notes'>>;
export type LabDevicePatch = Partial<Omit<NewLabDevice, 'chipId'>> & { archived?: boolean };
