/**
 * The report's stylesheet and script, inline (the page's CSP allows nothing else). The
 * script sorts any table whose header cells hold buttons (mouse and keyboard alike: they
 * are buttons), and filters a table by text and by checkbox groups, several values per
 * group (a row shows when it matches one checked value of every group that has one);
 * filters can come from the address: `report.html#status=held,new&team=coding`.
 */
export const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--head:#f6f8fa;--accent:#0b5cad;--s1:#8a4600}
*{box-sizing:border-box}
body{font:14px/1.4 system-ui,sans-serif;margin:1rem 1.25rem;color:var(--fg);background:#fff;max-width:100%}
h1{font-size:1.35rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}h3{font-size:1rem;margin:.75rem 0 .25rem}
.meta{color:var(--muted);margin:0 0 1rem}
.banner{border:1px solid #d4a72c;background:#fff8c5;border-radius:6px;padding:.5rem .8rem}
.tiles{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.tile{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;min-width:7.5rem}
.tile b{display:block;font-size:1.3rem}
.tiles.queue .tile{border-color:var(--accent);border-width:2px}
.grid{display:flex;flex-wrap:wrap;gap:1.25rem;align-items:flex-start}
table{border-collapse:collapse}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.25rem .4rem;text-align:left;vertical-align:top}
thead th{background:var(--head)}
table.work{width:100%;font-size:13px}
table.work td{overflow-wrap:break-word}
table.work td:first-child b{white-space:nowrap}
table.work .pill{white-space:nowrap}
table.work td.codes .part{display:block}table.work td.codes .code{white-space:nowrap;display:inline-block;margin-right:.35rem}
table.work td.codes abbr{font-weight:600;text-decoration:none;color:var(--muted)}
table.work td.num,table.work th.num{text-align:right;white-space:nowrap}
table.work td.codes{font:12px/1.35 ui-monospace,monospace;min-width:11rem;max-width:17rem}
table.work td.msg{min-width:14rem}
table.work ul{margin:0;padding-left:1rem}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit;text-align:left}
th button:focus-visible,summary:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
.sev-error{color:#a40e26;font-weight:600}.sev-warning{color:#7d4e00}
.controls{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-start;margin:.5rem 0}
.controls label.search{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.controls input[type=search]{font:inherit;padding:.2rem .4rem;width:16rem}
details.multi{position:relative;border:1px solid var(--line);border-radius:6px;padding:.2rem .5rem;font-size:13px}
details.multi summary{cursor:pointer}
details.multi fieldset{position:absolute;z-index:2;background:#fff;border:1px solid var(--line);border-radius:6px;margin:.25rem 0 0 -.5rem;padding:.4rem .6rem;max-height:18rem;overflow:auto;min-width:12rem}
details.multi legend{font-weight:600;padding:0}
details.multi label{display:block;white-space:nowrap}
.src,.small{display:block;color:var(--muted);font-size:11px}
.pill{display:inline-block;border-radius:9px;padding:0 .45rem;font-size:12px;border:1px solid var(--line)}
.st-held{background:#fff1e5}.st-new{background:#ddf4ff}
tr[hidden]{display:none}
#findings,#released-warnings{table-layout:fixed}
#findings td,#released-warnings td{overflow-wrap:anywhere}
#findings th button{overflow-wrap:anywhere}
#findings col.w1,#released-warnings col.w1{width:4%}#findings col.w2,#released-warnings col.w2{width:7%}#findings col.w3,#released-warnings col.w3{width:9%}
#findings col.w4,#released-warnings col.w4{width:10%}#findings col.w5,#released-warnings col.w5{width:16%}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure.chart{margin:0;border:1px solid var(--line);border-radius:6px;padding:.4rem}
figure.chart figcaption{font-size:12px;color:var(--muted)}
svg .axis{stroke:#8c959f}svg .grid{stroke:#eaeef2}svg .tick{font-size:10px;fill:#57606a}
svg .line{fill:none;stroke:var(--accent);stroke-width:2}svg circle.mark{fill:var(--accent)}
svg .s0{fill:var(--accent)}svg .s1{fill:var(--s1)}
svg.spark .line{stroke-width:1.5}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media print{
  body{margin:0;font-size:10pt}
  .controls,.no-print{display:none}
  th button::after{content:""!important}
  table{page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}
  figure.chart,.tile{break-inside:avoid}
  details.released-warnings:not([open]){display:none}
  a{color:inherit;text-decoration:none}
}
`;

export const SCRIPT = `
(function(){
  var live=document.getElementById('live');
  function setup(id){
    var table=document.getElementById(id);if(!table)return null;
    var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
    var box=document.querySelector('[data-controls="'+id+'"]');if(!box)return null;
    var q=box.querySelector('input[type=search]');
    var checks=Array.prototype.slice.call(box.querySelectorAll('input[type=checkbox][data-filter]'));
    var shown=box.querySelector('.shown');
    function apply(){
      var text=q.value.trim().toLowerCase();var groups={};
      checks.forEach(function(c){if(c.checked){var k=c.getAttribute('data-filter');(groups[k]=groups[k]||[]).push(c.value);}});
      var n=0;
      rows.forEach(function(r){
        var ok=!text||r.textContent.toLowerCase().indexOf(text)>=0;
        Object.keys(groups).forEach(function(k){
          if(!ok)return;
          var vals=(r.getAttribute('data-'+k)||'').split(' ');
          ok=groups[k].some(function(v){return vals.indexOf(v)>=0;});
        });
        r.hidden=!ok;if(ok)n++;
      });
      shown.textContent=String(n);
      Array.prototype.forEach.call(box.querySelectorAll('details.multi'),function(d){
        var c=(groups[d.getAttribute('data-filter')]||[]).length;d.querySelector('.count').textContent=c?' ('+c+')':'';
      });
    }
    q.addEventListener('input',apply);
    checks.forEach(function(c){c.addEventListener('change',apply);});
    var heads=table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads,function(th,i){
      var b=th.querySelector('button');if(!b)return;
      b.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var numeric=th.getAttribute('data-type')==='number';
        rows.sort(function(a,c){
          var x=a.cells[i].getAttribute('data-sort');var y=c.cells[i].getAttribute('data-sort');
          if(x===null)x=a.cells[i].textContent;if(y===null)y=c.cells[i].textContent;
          var d=numeric?(Number(x)-Number(y)):x.localeCompare(y);
          return asc?d:-d;
        });
        rows.forEach(function(r){body.appendChild(r);});
        if(live)live.textContent=table.getAttribute('data-name')+' sorted by '+b.textContent+(asc?', ascending':', descending');
      });
    });
    return {apply:apply,checks:checks,q:q};
  }
  var tables=['worklist','findings'].map(setup).filter(Boolean);
  function fromAddress(){
    var p=new URLSearchParams(location.hash.slice(1));
    tables.forEach(function(t){
      t.q.value=p.get('q')||'';
      t.checks.forEach(function(c){var v=p.get(c.getAttribute('data-filter'));c.checked=!!v&&v.split(',').indexOf(c.value)>=0;});
      t.apply();
    });
  }
  window.addEventListener('hashchange',fromAddress);
  fromAddress();
})();
`;
