// The district office's and the towns' pages: a client of the public API only, with the person's key in the
// X-Api-Key header (kept in sessionStorage, never in a URL sent to the server).
const $ = (sel, root = document) => root.querySelector(sel);
const app = $('#app');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CATALOGUES = ['gov-info-disclosure-2014', 'gov-info-disclosure-2021'];

const text = {
  zh: { title: '政府信息公开工作情况统计', signIn: '登录', key: 'API 密钥', signOut: '退出', catalogue: '统计表', period: '统计期', load: '打开',
        submit: '提交', template: '下载 Excel 模板', upload: '上传填好的 Excel', valid: '校验通过', invalid: '有错误，请按提示修改',
        stored: '已提交，第 {0} 版', conflict: '别人已提交了新版本（第 {0} 版）。重新载入后再提交。', reload: '重新载入',
        overview: '报送情况', expected: '应报', submitted: '已报', missing: '未报', late: '逾期', table: '汇总表', total: '合计',
        gov: '区政府', dept: '区直部门', town: '乡镇街道', csv: '导出 CSV', xlsx: '导出 Excel', print: '打印', close: '关闭统计期',
        reopen: '重新开放', deadline: '截止时间', save: '保存', reporters: '填报单位', register: '登记', id: '代码', name: '名称', kind: '类别',
        issue: '发放密钥', revoke: '吊销', link: '登录链接（只显示一次）', share: '各单位 3.1 收到申请数占比', revisions: '历次提交', diff: '比较',
        derived: '自动计算', role: { admin: '区政务公开办（管理员）', viewer: '查看', reporter: '填报单位' } },
  en: { title: 'Government information disclosure statistics', signIn: 'Sign in', key: 'API key', signOut: 'Sign out', catalogue: 'Table', period: 'Period', load: 'Open',
        submit: 'Submit', template: 'Download Excel template', upload: 'Upload filled Excel', valid: 'Valid', invalid: 'Errors: see the marked cells',
        stored: 'Submitted as revision {0}', conflict: 'Someone submitted a newer revision ({0}). Reload, then submit again.', reload: 'Reload',
        overview: 'Who has reported', expected: 'Expected', submitted: 'Submitted', missing: 'Missing', late: 'Late', table: 'District table', total: 'Total',
        gov: 'District government', dept: 'Departments', town: 'Towns', csv: 'Export CSV', xlsx: 'Export Excel', print: 'Print', close: 'Close period',
        reopen: 'Reopen', deadline: 'Deadline', save: 'Save', reporters: 'Reporters', register: 'Register', id: 'Id', name: 'Name', kind: 'Kind',
        issue: 'Issue key', revoke: 'Revoke', link: 'Sign-in link (shown once)', share: "Each reporter's share of 3.1 (requests received)", revisions: 'Revisions', diff: 'Compare',
        derived: 'derived', role: { admin: 'District office (admin)', viewer: 'Viewer', reporter: 'Reporter' } },
};
let lang = sessionStorage.getItem('lang') || 'zh';
const t = (k, ...args) => String(text[lang][k] ?? k).replace(/\{(\d)\}/g, (_, i) => args[i]);
const esc = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const status = msg => { $('#status').textContent = msg || ''; };

// A #key=… link signs in once; the key leaves the address bar at once.
if (location.hash.startsWith('#key=')) {
  sessionStorage.setItem('key', decodeURIComponent(location.hash.slice(5)));
  history.replaceState(null, '', location.pathname);
}
const key = () => sessionStorage.getItem('key');

async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const init = { method, headers: { 'X-Api-Key': key(), ...headers } };
  if (body instanceof Blob || body instanceof ArrayBuffer) init.body = body;
  else if (body !== undefined) { init.body = JSON.stringify(body); init.headers['Content-Type'] = 'application/json'; }
  const response = await fetch(path, init);
  if (raw) return response;
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data, etag: response.headers.get('ETag') };
}

async function download(path, name) {
  const response = await api(path, { raw: true });
  if (!response.ok) { status(`${response.status}`); return; }
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a); a.click(); a.remove(); URL.revokeObjectURL(url);
}

function selectors(onLoad) {
  const year = new Date().getFullYear();
  app.insertAdjacentHTML('beforeend', `<fieldset class="noprint"><legend>${t('table')}</legend>
    <label>${t('catalogue')} <select id="catalogue">${CATALOGUES.map(c => `<option>${c}</option>`).join('')}</select></label>
    <label>${t('period')} <input id="period" value="2014" size="8" pattern="\\d{4}(Q[1-4])?"></label>
    <button type="button" id="open">${t('load')}</button></fieldset><section id="view"></section>`);
  $('#catalogue').onchange = () => { $('#period').value = $('#catalogue').value.endsWith('2021') ? String(year - 1) : '2014'; };
  $('#open').onclick = () => onLoad($('#catalogue').value, $('#period').value.trim());
}

// ---- sign-in -------------------------------------------------------------------------------------

async function start() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach(e => { e.textContent = t(e.dataset.t); });
  $('#lang').textContent = lang === 'zh' ? 'English' : '中文';
  app.innerHTML = '';
  if (!key()) return signIn();
  const me = await api('/v1/me');
  if (!me.ok) { sessionStorage.removeItem('key'); return signIn(); }
  $('#who').textContent = me.data.reporter ? `${me.data.reporter.name}（${text[lang].role.reporter}）` : text[lang].role[me.data.role];
  $('#signout').hidden = false;
  if (me.data.role === 'reporter') reporterHome(me.data.reporter);
  else officeHome(me.data.role === 'admin');
}

function signIn() {
  $('#who').textContent = ''; $('#signout').hidden = true;
  app.innerHTML = `<form id="signin"><h2>${t('signIn')}</h2>
    <label>${t('key')} <input id="keyInput" type="password" autocomplete="off" required size="50"></label>
    <button type="submit">${t('signIn')}</button></form>`;
  $('#signin').onsubmit = e => { e.preventDefault(); sessionStorage.setItem('key', $('#keyInput').value.trim()); start(); };
}

$('#signout').onclick = () => { sessionStorage.removeItem('key'); start(); };
$('#lang').onclick = () => { lang = lang === 'zh' ? 'en' : 'zh'; sessionStorage.setItem('lang', lang); start(); };

// ---- a reporter's data entry ------------------------------------------------------------------------

function reporterHome(reporter) {
  selectors((catalogue, period) => entryForm(reporter, catalogue, period));
}

async function entryForm(reporter, catalogueId, period) {
  const view = $('#view');
  const [catalogue, revisions] = await Promise.all([
    api(`/v1/catalogues/${catalogueId}`),
    api(`/v1/submissions?reporter=${reporter.id}&catalogue=${catalogueId}&period=${period}`),
  ]);
  if (!catalogue.ok) { view.textContent = catalogue.data?.detail ?? catalogue.status; return; }
  const items = revisions.ok ? revisions.data.items : [];
  const latest = items.length ? await api(`/v1/submissions/${items[items.length - 1].id}`) : null;
  const current = latest?.data ? Object.fromEntries(latest.data.values.map(v => [v.code, v.value])) : {};
  const revision = items.length ? items[items.length - 1].revision : 0;
  let idempotencyKey = crypto.randomUUID();
  const cells = new Map(catalogue.data.cells.map(c => [c.code, c]));

  let html = `<h2>${esc(catalogue.data.title)} · ${esc(period)}</h2>
    <p>${t('revisions')}: ${items.map(i => `#${i.revision} ${new Date(i.receivedAt).toLocaleString()}`).join('，') || '—'}</p>
    <p class="noprint"><button type="button" id="template">${t('template')}</button>
    <label>${t('upload')} <input type="file" id="upload" accept=".xlsx"></label></p><form id="entry">`;
  for (const table of catalogue.data.tables) {
    const columns = table.columns.filter(c => c.role === 'value');
    html += `<h3>${esc(table.title)}</h3><table><thead>`;
    if (columns.length) {
      const groups = table.columns.filter(c => c.role === 'header');
      if (groups.length) html += `<tr><th rowspan="2">${t('name')}</th>${groups.map(g => `<th colspan="${columns.filter(c => c.parent === g.code).length || 1}">${esc(g.name)}</th>`).join('')}${columns.filter(c => !c.parent).map(c => `<th rowspan="2">${esc(c.name)}</th>`).join('')}</tr><tr>${columns.filter(c => c.parent).map(c => `<th>${esc(c.name)}</th>`).join('')}</tr>`;
      else html += `<tr><th>${t('name')}</th>${columns.map(c => `<th>${esc(c.name)}</th>`).join('')}</tr>`;
    } else html += `<tr><th>${t('id')}</th><th>${t('name')}</th><th>单位</th><th>${t('submit')}</th></tr>`;
    html += '</thead><tbody>';
    const ordered = columns.length ? [...columns.filter(c => c.parent), ...columns.filter(c => !c.parent)] : [];
    for (const row of table.rows) {
      if (row.role === 'header') { html += `<tr class="h"><td colspan="${(ordered.length || 3) + 1}">${esc(row.name)}</td></tr>`; continue; }
      const input = code => cells.has(code)
        ? `<td data-cell="${esc(code)}"><input name="${esc(code)}" aria-label="${esc(cells.get(code).name)}" inputmode="decimal" value="${current[code] ?? ''}"><div class="msg"></div></td>`
        : '<td></td>';
      html += `<tr class="${row.parent ? 'part' : ''}">`;
      html += columns.length
        ? `<td class="name">${esc(row.name)}</td>${ordered.map(c => input(`${row.code}:${c.code}`)).join('')}`
        : `<td>${esc(row.code)}</td><td class="name">${esc(row.name)}</td><td>${esc(row.unit ?? '')}</td>${input(row.code)}`;
      html += '</tr>';
    }
    html += '</tbody></table>';
  }
  html += `<p><button type="submit" id="submit">${t('submit')}</button> <span id="verdict" aria-live="polite"></span></p></form>`;
  view.innerHTML = html;

  const body = () => ({
    reporter: reporter.id, period, catalogue: catalogueId,
    values: [...view.querySelectorAll('#entry input[name]')].filter(i => i.value.trim() !== '').map(i => ({ code: i.name, value: Number(i.value.trim()) })),
  });
  const show = (violations, derived = [], values = []) => {
    view.querySelectorAll('td[data-cell]').forEach(td => { td.classList.remove('bad'); $('.msg', td).textContent = ''; });
    for (const v of violations.filter(v => v.severity === 'error' || v.severity === 'warning')) {
      const td = view.querySelector(`td[data-cell="${CSS.escape(v.codes?.[0] ?? '')}"]`);
      if (td) { td.classList.add('bad'); $('.msg', td).textContent = lang === 'zh' ? v.messageZh : v.message; }
    }
    for (const code of derived) {
      const input = view.querySelector(`input[name="${CSS.escape(code)}"]`);
      const value = values.find(v => v.code === code)?.value;
      if (input && !input.value) { input.placeholder = value; input.title = t('derived'); input.classList.add('derived'); }
    }
  };
  let timer;
  const validate = async () => {
    const r = await api('/v1/submissions/validate', { method: 'POST', body: body() });
    if (r.status === 200) {
      show(r.data.violations, r.data.derived, r.data.values);
      $('#verdict').textContent = r.data.valid ? t('valid') : t('invalid');
      $('#verdict').className = r.data.valid ? 'ok' : 'missing';
    } else {
      const errors = r.data?.errors ?? [];
      show(errors.map(e => ({ severity: 'error', codes: [body().values[Number(/values\[(\d+)\]/.exec(e.name)?.[1])]?.code], message: e.reason, messageZh: e.reason })));
      $('#verdict').textContent = r.data?.detail ?? r.status;
    }
  };
  $('#entry').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(validate, 300); idempotencyKey = crypto.randomUUID(); });
  $('#entry').onsubmit = async e => {
    e.preventDefault();
    const r = await api('/v1/submissions', { method: 'POST', body: body(), headers: { 'Idempotency-Key': idempotencyKey, 'If-Match': `"${revision}"` } });
    if (r.status === 201) { status(t('stored', r.data.revision)); $('#verdict').textContent = t('stored', r.data.revision); $('#verdict').className = 'ok'; return; }
    if (r.status === 409) {
      $('#verdict').innerHTML = `${esc(t('conflict', r.data?.currentRevision ?? '?'))} <button type="button" id="reload">${t('reload')}</button>`;
      $('#reload').onclick = () => entryForm(reporter, catalogueId, period);
      return;
    }
    if (r.status === 422) show(r.data.violations);
    $('#verdict').textContent = r.data?.detail ?? r.status;
  };
  $('#template').onclick = () => download(`/v1/templates/${catalogueId}/${period}?reporter=${reporter.id}`, `${catalogueId}-${period}-${reporter.id}.xlsx`);
  $('#upload').onchange = async e => {
    const file = e.target.files[0];
    if (!file) return;
    const r = await api('/v1/submissions', { method: 'POST', body: await file.arrayBuffer(), headers: { 'Content-Type': XLSX, 'Idempotency-Key': crypto.randomUUID() } });
    if (r.status === 201) { status(t('stored', r.data.revision)); entryForm(reporter, catalogueId, period); }
    else { $('#verdict').textContent = r.data?.detail ?? r.status; if (r.data?.violations) show(r.data.violations); }
  };
  if (Object.keys(current).length) validate();
}

// ---- the district office ----------------------------------------------------------------------------

function officeHome(admin) {
  selectors((catalogue, period) => districtView(catalogue, period, admin));
  if (admin) adminPanel();
}

const KINDS = ['government', 'department', 'town'];
const kindName = k => t({ government: 'gov', department: 'dept', town: 'town' }[k]);
const num = v => (v === null || v === undefined ? '' : String(v));

async function districtView(catalogueId, period, admin) {
  const view = $('#view');
  const base = `/v1/aggregates/${catalogueId}/${period}`;
  const [aggregate, reporters, settings] = await Promise.all([api(base), api('/v1/reporters'), api(`/v1/periods/${catalogueId}/${period}`)]);
  if (!aggregate.ok) { view.textContent = aggregate.data?.detail ?? aggregate.status; return; }
  const a = aggregate.data, c = a.completeness;
  const names = Object.fromEntries((reporters.data?.items ?? reporters.data ?? []).map(r => [r.id, r]));
  const byReporter = Object.fromEntries(c.reporters.map(r => [r.reporter, r]));
  let html = `<h2>${t('overview')} · ${esc(period)}</h2>
    <p>${t('expected')} ${c.expected}，${t('submitted')} ${c.submitted}，<span class="missing">${t('missing')} ${c.missing.length}</span>
    ${c.deadline ? `，${t('deadline')} ${new Date(c.deadline).toLocaleString()}` : ''}${c.closed ? '（已关闭 closed）' : ''}</p>
    <table id="overview"><thead><tr><th>${t('kind')}</th><th>${t('reporters')}</th><th>状态 status</th><th>版本 rev.</th><th>时间 time</th></tr></thead><tbody>`;
  for (const kind of KINDS) {
    const ids = Object.values(names).filter(r => r.kind === kind).map(r => r.id);
    for (const id of ids) {
      const r = byReporter[id];
      const last = r?.submissions[r.submissions.length - 1];
      const state = !r ? `<span class="missing">${t('missing')}</span>` : r.late ? `<span class="missing">${t('late')}</span>` : `<span class="ok">${t('submitted')}</span>`;
      html += `<tr data-reporter="${esc(id)}"><td>${kindName(kind)}</td><td><a href="#" data-drill="${esc(id)}">${esc(names[id]?.name ?? id)}</a></td><td>${state}</td><td>${last?.revision ?? ''}</td><td>${last ? new Date(last.receivedAt).toLocaleString() : ''}</td></tr>`;
    }
  }
  html += `</tbody></table>`;
  if (admin) html += `<p class="noprint"><button type="button" id="toggle">${c.closed ? t('reopen') : t('close')}</button>
    <label>${t('deadline')} <input type="datetime-local" id="deadline"></label><button type="button" id="saveDeadline">${t('save')}</button></p>`;
  html += `<h2>${t('table')}</h2><p class="noprint"><button type="button" id="csv">${t('csv')}</button> <button type="button" id="xlsx">${t('xlsx')}</button>
    <button type="button" id="print">${t('print')}</button></p><table id="district"><thead><tr><th>${t('id')}</th><th>${t('name')}</th><th>单位</th>
    <th>${t('total')}</th>${KINDS.map(k => `<th>${kindName(k)}</th>`).join('')}</tr></thead><tbody>`;
  const warned = new Map();
  for (const v of a.violations) for (const code of v.codes ?? []) warned.set(code, lang === 'zh' ? v.messageZh : v.message);
  for (const row of a.rows) {
    if (row.role === 'header') { html += `<tr class="h"><td>${esc(row.code)}</td><td colspan="6">${esc(row.name)}</td></tr>`; continue; }
    const lines = row.cells ? row.cells.map(cell => ({ code: cell.code, name: `${row.name} · ${cell.column}`, unit: cell.unit, f: cell })) : [{ code: row.code, name: row.name, unit: row.unit, f: row }];
    for (const l of lines)
      html += `<tr data-code="${esc(l.code)}"><td>${esc(l.code)}</td><td class="name">${esc(l.name)}${warned.has(l.code) ? `<div class="msg">${esc(warned.get(l.code))}</div>` : ''}</td><td>${esc(l.unit ?? '')}</td>
        <td class="n">${num(l.f.total)}</td><td class="n">${num(l.f.government)}</td><td class="n">${num(l.f.department)}</td><td class="n">${num(l.f.town)}</td></tr>`;
  }
  html += '</tbody></table><h2>' + t('share') + '</h2><div id="chart"></div><section id="drill"></section>';
  view.innerHTML = html;
  $('#csv').onclick = () => download(`${base}?format=csv`, `${catalogueId}-${period}.csv`);
  $('#xlsx').onclick = () => download(`${base}?format=xlsx`, `${catalogueId}-${period}.xlsx`);
  $('#print').onclick = () => window.print();
  view.querySelectorAll('[data-drill]').forEach(link => { link.onclick = e => { e.preventDefault(); drill(catalogueId, period, link.dataset.drill); }; });
  if (admin) {
    $('#toggle').onclick = async () => { await api(`/v1/periods/${catalogueId}/${period}/${c.closed ? 'reopen' : 'close'}`, { method: 'POST' }); districtView(catalogueId, period, admin); };
    $('#saveDeadline').onclick = async () => {
      const value = $('#deadline').value;
      const body = { ...(settings.data ?? {}), deadline: value ? new Date(value).toISOString() : null };
      await api(`/v1/periods/${catalogueId}/${period}`, { method: 'PUT', body: { deadline: body.deadline, expectedReporters: settings.data?.expectedReporters ?? null } });
      districtView(catalogueId, period, admin);
    };
  }
  chart(catalogueId, period, c.reporters.map(r => r.reporter), names);
}

async function chart(catalogueId, period, ids, names) {
  const values = await Promise.all(ids.map(async id => {
    const r = await api(`/v1/aggregates/${catalogueId}/${period}/reporters/${id}`);
    const row = r.data?.rows.find(x => x.code === '3.1' || x.code === '3.3.1');
    return { id, value: Number(row?.total ?? row?.cells?.[row.cells.length - 1]?.total ?? 0) };
  }));
  const max = Math.max(1, ...values.map(v => v.value));
  $('#chart').innerHTML = values.map(v => `<div><span style="display:inline-block;width:12rem">${esc(names[v.id]?.name ?? v.id)}</span>
    <span class="bar" style="width:${(20 * v.value) / max}rem" role="img" aria-label="${v.value}"></span> ${v.value}</div>`).join('');
}

async function drill(catalogueId, period, id) {
  const section = $('#drill');
  const list = await api(`/v1/submissions?reporter=${id}&catalogue=${catalogueId}&period=${period}`);
  const items = list.data?.items ?? [];
  section.innerHTML = `<h2>${esc(id)} · ${t('revisions')}</h2><p>${items.map(i => `#${i.revision}`).join(' ')}</p>
    <label>A <select id="revA">${items.map(i => `<option value="${i.id}">#${i.revision}</option>`).join('')}</select></label>
    <label>B <select id="revB">${items.map((i, n) => `<option value="${i.id}" ${n === items.length - 1 ? 'selected' : ''}>#${i.revision}</option>`).join('')}</select></label>
    <button type="button" id="compare">${t('diff')}</button><table id="diff"></table>`;
  $('#compare').onclick = async () => {
    const [a, b] = await Promise.all([api(`/v1/submissions/${$('#revA').value}`), api(`/v1/submissions/${$('#revB').value}`)]);
    const va = Object.fromEntries(a.data.values.map(v => [v.code, v.value])), vb = Object.fromEntries(b.data.values.map(v => [v.code, v.value]));
    const codes = [...new Set([...Object.keys(va), ...Object.keys(vb)])].filter(code => va[code] !== vb[code]);
    $('#diff').innerHTML = `<tr><th>${t('id')}</th><th>A</th><th>B</th></tr>` + codes.map(code => `<tr><td>${esc(code)}</td><td class="n">${num(va[code])}</td><td class="n">${num(vb[code])}</td></tr>`).join('');
  };
}

function adminPanel() {
  app.insertAdjacentHTML('beforeend', `<fieldset class="noprint" id="admin"><legend>${t('reporters')}</legend>
    <form id="newReporter"><label>${t('id')} <input id="rid" required pattern="[a-z0-9-]{2,64}"></label>
    <label>${t('name')} <input id="rname" required></label>
    <label>${t('kind')} <select id="rkind">${KINDS.map(k => `<option value="${k}">${kindName(k)}</option>`).join('')}</select></label>
    <button type="submit">${t('register')}</button></form>
    <form id="newKey"><label>${t('reporters')} <input id="kreporter" required></label><button type="submit">${t('issue')}</button></form>
    <div id="issued"></div></fieldset>`);
  $('#newReporter').onsubmit = async e => {
    e.preventDefault();
    const r = await api('/v1/reporters', { method: 'POST', body: { id: $('#rid').value.trim(), name: $('#rname').value.trim(), kind: $('#rkind').value } });
    status(r.ok ? `${t('register')} ✓ ${$('#rid').value}` : r.data?.detail ?? r.status);
    if (r.ok) $('#kreporter').value = $('#rid').value.trim();
  };
  $('#newKey').onsubmit = async e => {
    e.preventDefault();
    const r = await api('/v1/keys', { method: 'POST', body: { role: 'reporter', reporter: $('#kreporter').value.trim() } });
    if (!r.ok) { status(r.data?.detail ?? r.status); return; }
    const link = `${location.origin}/#key=${encodeURIComponent(r.data.key)}`;
    $('#issued').innerHTML = `<p>${t('link')}:</p><p class="key" id="signinLink">${esc(link)}</p>
      <button type="button" id="revoke" data-id="${r.data.id}">${t('revoke')}</button>`;
    $('#revoke').onclick = async () => { await api(`/v1/keys/${r.data.id}`, { method: 'DELETE' }); $('#issued').textContent = `${t('revoke')} ✓`; };
  };
}

start();
