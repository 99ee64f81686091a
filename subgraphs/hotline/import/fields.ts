// The columns `gongkai hotline import` understands, and how a platform's own column names map
// onto them: built-in aliases for the names common 12345 platforms export, overridden by
// `--map 'COLUMN=field'` or a mapping file. docs/hotline.md lists them.

export const TICKET_FIELDS = [
  'platformId',
  'line',
  'channel',
  'category',
  'topic',
  'regionCode',
  'agencyId',
  'agencyName',
  'dispatchMode',
  'receivedAt',
  'dispatchedAt',
  'dueAt',
  'resolvedAt',
  'closedAt',
  'status',
  'statusAt',
  'satisfaction',
  'callerName',
  'callerPhone',
  'text',
  'statusHistory',
] as const;

export type TicketField = (typeof TICKET_FIELDS)[number];

/** Column names seen in real exports, by field (matched after trimming, case-insensitively). */
export const BUILT_IN_ALIASES: Record<TicketField, readonly string[]> = {
  platformId: ['工单编号', '工单号', '工单编码', '受理编号', '编号', 'ticket_id', 'ticketId', 'id'],
  line: ['热线', '热线号码', '热线名称', '来源热线'],
  channel: ['渠道', '来源渠道', '受理渠道', '诉求渠道', '来源方式'],
  category: ['诉求类型', '工单类型', '诉求类别', '业务类型', '类型'],
  topic: ['诉求分类', '问题分类', '事项分类', '诉求主题', '主题'],
  regionCode: ['区划代码', '行政区划代码', '所属区划代码', '诉求区划代码', 'region', 'region_code'],
  agencyId: ['承办单位编号', '承办单位id', 'agency_id'],
  agencyName: ['承办单位', '承办部门', '责任单位', '办理单位', 'agency'],
  dispatchMode: ['办理方式', '派单方式', '处置方式'],
  receivedAt: ['受理时间', '来电时间', '登记时间', '创建时间', 'received_at'],
  dispatchedAt: ['派单时间', '转办时间', '交办时间', 'dispatched_at'],
  dueAt: ['办理时限', '截止时间', '办结时限', '要求办结时间', 'due_at'],
  resolvedAt: ['办结时间', '处理完成时间', '答复时间', 'resolved_at'],
  closedAt: ['归档时间', '关闭时间', '结案时间', 'closed_at'],
  status: ['工单状态', '状态', '办理状态'],
  statusAt: ['状态时间', '状态更新时间', 'status_at'],
  satisfaction: ['回访满意度', '满意度', '回访结果', '满意度评价'],
  callerName: ['来电人', '来电人姓名', '诉求人', '姓名', '联系人', 'caller_name'],
  callerPhone: ['来电号码', '联系电话', '来电人电话', '手机号码', '电话', 'caller_phone'],
  text: ['诉求内容', '工单内容', '来电内容', '问题描述', '内容', 'content'],
  statusHistory: ['状态历史', 'history', 'status_history'],
};

export type ColumnMapping = ReadonlyMap<string, TicketField | null>;

const fold = (name: string): string => name.trim().replace(/^\uFEFF/, '').toLowerCase();

export function isTicketField(name: string): name is TicketField {
  return (TICKET_FIELDS as readonly string[]).includes(name);
}

/**
 * Parses `--map` entries ("工单编号=platformId", or "备注=-" to ignore a column) and mapping
 * files (a JSON object of the same, or one entry per line; # starts a comment).
 */
export function parseMappingEntries(entries: readonly string[], where: string): Map<string, TicketField | null> {
  const mapping = new Map<string, TicketField | null>();
  // "--map 工单编号=platformId,来电时间=receivedAt": several entries in one, comma-separated
  for (const entry of entries.flatMap((e) => e.split(/[,，](?=[^,，=]+=)/))) {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) throw new Error(`${where}: '${entry}' is not COLUMN=field`);
    addMapping(mapping, entry.slice(0, eq), entry.slice(eq + 1), where);
  }
  return mapping;
}

export function parseMappingFile(text: string, where: string): Map<string, TicketField | null> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    let object: unknown;
    try {
      object = JSON.parse(trimmed);
    } catch (error) {
      throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
    }
    const mapping = new Map<string, TicketField | null>();
    for (const [column, field] of Object.entries(object as Record<string, unknown>)) {
      addMapping(mapping, column, field === null ? '-' : String(field), where);
    }
    return mapping;
  }
  const lines = text.split(/\r?\n/).map((l) => l.replace(/#.*$/, '').trim()).filter(Boolean);
  return parseMappingEntries(lines, where);
}

function addMapping(mapping: Map<string, TicketField | null>, column: string, field: string, where: string): void {
  const target = field.trim();
  if (target === '-' || target === '') {
    mapping.set(fold(column), null);
    return;
  }
  if (!isTicketField(target)) {
    throw new Error(`${where}: '${target}' is not a ticket field; the fields are ${TICKET_FIELDS.join(', ')}`);
  }
  mapping.set(fold(column), target);
}

const BUILT_IN = new Map<string, TicketField>();
for (const field of TICKET_FIELDS) {
  BUILT_IN.set(fold(field), field);
  for (const alias of BUILT_IN_ALIASES[field]) if (!BUILT_IN.has(fold(alias))) BUILT_IN.set(fold(alias), field);
}

/** The field a source column feeds: the explicit mapping first, then the field names and built-in aliases. */
export function fieldOfColumn(column: string, explicit: ColumnMapping): TicketField | null {
  const key = fold(column);
  if (explicit.has(key)) return explicit.get(key) ?? null;
  return BUILT_IN.get(key) ?? null;
}

export interface HeaderPlan {
  /** For each source column, the field it feeds (null: ignored). */
  fields: (TicketField | null)[];
  ignored: string[];
}

export function planHeader(header: readonly string[], explicit: ColumnMapping): HeaderPlan {
  const seen = new Map<TicketField, string>();
  const fields = header.map((column) => {
    const field = fieldOfColumn(column, explicit);
    if (field === null) return null;
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      throw new Error(`columns '${earlier}' and '${column}' both map to ${field}; ignore one with --map '${column}=-'`);
    }
    seen.set(field, column);
    return field;
  });
  return { fields, ignored: header.filter((_, i) => fields[i] === null && header[i]!.trim() !== '') };
}
