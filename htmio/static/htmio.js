// htmio's only script: what HTML and htmx cannot do on their own.
// Toast timers, scroll commands, and telling the server when the page is hidden or left,
// so a paused stream (hidden tab) is not mistaken for a closed page.
(function () {
  "use strict";
  var body = document.body;
  var urls = JSON.parse(body.dataset.htmioUrls || "null");
  var token = body.dataset.htmioToken;

  function beacon(state) {
    if (!urls || !navigator.sendBeacon) return;
    var data = new FormData();
    data.append("_token", token);
    data.append("state", state);
    data.append("view", body.dataset.htmioView || "");
    navigator.sendBeacon(urls.presence, data);
  }
  document.addEventListener("visibilitychange", function () {
    beacon(document.hidden ? "hidden" : "visible");
  });
  window.addEventListener("pagehide", function () { beacon("left"); });

  function startToast(el) {
    if (el.dataset.htmioStarted) return;
    el.dataset.htmioStarted = "1";
    var seconds = parseFloat(el.dataset.duration || "0");
    if (seconds > 0) setTimeout(function () { el.remove(); }, seconds * 1000);
  }

  function post(url, fields) {
    var data = new FormData();
    data.append("_token", token);
    Object.keys(fields).forEach(function (k) { data.append(k, fields[k]); });
    return fetch(url, { method: "POST", body: data, credentials: "same-origin" });
  }
  function call(code, args, isEval) {
    var names = Object.keys(args);
    var body = isEval ? "return eval(" + JSON.stringify(code) + ")" : code;
    return Function.apply(null, names.concat(body)).apply(window, names.map(function (n) { return args[n]; }));
  }
  var COMMANDS = {
    scroll: function (p) {
      var target = document.getElementById(p.target);
      var where = { top: "start", middle: "center", bottom: "end" }[p.position] || "start";
      if (target) target.scrollIntoView({ block: where, behavior: "smooth" });
    },
    run: function (p) {
      try { call(p.code, p.args, false); } catch (e) { console.error("htmio run_js:", e); }
    },
    eval: function (p) {
      var to = urls.js.replace("{number}", p.id);
      new Promise(function (ok) { ok(call(p.code, p.args, true)); }).then(function (v) {
        return post(to, { value: v === undefined ? "null" : JSON.stringify(v) });
      }, function (e) {
        return post(to, { error: String(e && e.message || e) });
      });
    },
    download: function (p) {
      var a = document.createElement("a");
      a.href = p.url; a.download = p.name; document.body.appendChild(a); a.click(); a.remove();
    },
    go: function (p) { if (p.new_window) window.open(p.url); else location.href = p.url; },
    env: function (p) {
      if (p.title) document.title = p.title;
      body.classList.toggle("htmio-panel-fixed", p.input_panel_fixed !== false);
      body.classList.toggle("htmio-auto-scroll", !!p.auto_scroll_bottom);
      if (p.output_max_width) body.style.setProperty("--htmio-width", p.output_max_width);
      if (p.input_panel_init_height) body.style.setProperty("--htmio-panel-height", p.input_panel_init_height + "px");
    }
  };
  function runCommand(el) {
    el.remove();
    var run = COMMANDS[el.dataset.htmioCommand], p = JSON.parse(el.dataset.payload || "{}");
    if (run) inOrder(p.code, function () { run(p); });
  }

  // code editors: CodeMirror is loaded only by pages that show a textarea(code=...)
  var CM = "/codemirror-5.65.20/", loaded = {};
  var DEPS = { markdown: ["xml", "meta", "markdown"], htmlmixed: ["xml", "javascript", "css", "htmlmixed"] };
  function load(src) {
    if (!loaded[src]) loaded[src] = new Promise(function (done) {
      var s = document.createElement("script");
      s.src = src; s.onload = s.onerror = done;
      document.head.appendChild(s);
    });
    return loaded[src];
  }
  function startEditor(el) {
    if (el.dataset.htmioStarted) return;
    el.dataset.htmioStarted = "1";
    var root = el.dataset.htmioStatic + CM, opts = JSON.parse(el.dataset.htmioCode || "{}");
    if (!loaded.css) {
      loaded.css = document.createElement("link");
      loaded.css.rel = "stylesheet"; loaded.css.href = root + "codemirror.css";
      document.head.appendChild(loaded.css);
    }
    var chain = load(root + "codemirror.js");
    (DEPS[opts.mode] || (opts.mode ? [opts.mode] : [])).forEach(function (m) {
      chain = chain.then(function () { return load(root + "mode/" + (m === "meta" ? "meta.js" : m + "/" + m + ".js")); });
    });
    chain.then(function () {
      if (!window.CodeMirror || !el.isConnected) return;
      var cm = CodeMirror.fromTextArea(el, Object.assign({ lineNumbers: true, indentUnit: 4 }, opts));
      cm.on("change", function () { cm.save(); });
      if (el.form) el.form.addEventListener("reset", function () { setTimeout(function () { cm.setValue(el.value); }); });
    });
  }

  // popups: modal (focus kept inside, the page behind inert); Esc or a click beside one closes it
  // through the server when the app allows that, so the server's copy of the page stays true
  function closePopup(dialog) {
    if (!dialog.dataset.htmioClose) return;
    var url = dialog.dataset.htmioClose;
    dialog.dataset.htmioClosing = "1";
    dialog.close();
    post(url, {});
  }
  function startPopup(dialog) {
    if (dialog.dataset.htmioStarted) return;
    dialog.dataset.htmioStarted = "1";
    var implicit = dialog.parentNode.hasAttribute("data-htmio-implicit-close");
    dialog.close();
    dialog.showModal();
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      if (implicit) closePopup(dialog);
    });
    // a browser may close it anyway (Chromium does on a repeated Esc without a click between):
    // only the server closes a popup, so one that it did not close opens again
    dialog.addEventListener("close", function () {
      if (!dialog.dataset.htmioClosing && dialog.isConnected) dialog.showModal();
    });
    dialog.addEventListener("click", function (event) {
      if (implicit && event.target === dialog) {
        var r = dialog.getBoundingClientRect();
        var inside = event.clientX >= r.left && event.clientX <= r.right && event.clientY >= r.top && event.clientY <= r.bottom;
        if (!inside) closePopup(dialog);
      }
    });
  }

  // put_scrollable(keep_bottom=True): follow new content until the user scrolls away from the bottom
  function keepBottom(box) {
    if (!box.dataset.htmioStarted) {
      box.dataset.htmioStarted = "1";
      box.addEventListener("scroll", function () {
        box.dataset.htmioAway = box.scrollHeight - box.scrollTop - box.clientHeight > 30 ? "1" : "";
      });
    }
    if (!box.dataset.htmioAway) box.scrollTop = box.scrollHeight;
  }

  // put_html's scripts and the commands (run_js, eval_js, ...), in order, each src loaded before the next
  // one runs (a chart's code after its library); the server marked the scripts so that neither the parser
  // nor htmx runs them first. Code written for PyWebIO (whose pages have jQuery) may use $: the first
  // code that mentions $ or jQuery loads it (a ${...} in a template literal does not count)
  var scripts = Promise.resolve(), JQ = /(^|[^\w$])\$(?![\w${])|jQuery/;
  function inOrder(code, fn) {
    scripts = scripts.then(function () {
      if (!window.jQuery && JQ.test(code || "")) return load(body.dataset.htmioJquery);
    }).then(fn).catch(function (e) { console.error("htmio:", e); });
  }
  function runScript(old) {
    if (old.dataset.htmioStarted) return;
    old.dataset.htmioStarted = "1";
    inOrder(old.src ? "" : old.textContent, function () {
      if (!old.isConnected) return;
      var s = document.createElement("script"), loaded = null;
      Array.prototype.forEach.call(old.attributes, function (a) {
        if (!/^(type|data-htmio-type|data-htmio-started)$/.test(a.name)) s.setAttribute(a.name, a.value);
      });
      if (old.dataset.htmioType) s.type = old.dataset.htmioType;
      s.textContent = old.textContent;
      if (s.src) loaded = new Promise(function (done) { s.onload = s.onerror = done; });
      old.replaceWith(s);
      return loaded;
    });
  }

  // commands and put_html's scripts run in the order they reach the page (one SSE message may carry both):
  // the order of the mutation records, and page order on a page load
  var RUNS = '#htmio-commands [data-htmio-command], script[type="text/x-htmio-script"]';
  function start(el) { (el.dataset.htmioCommand ? runCommand : runScript)(el); }
  var lastHeight = 0;
  function scan(records) {
    (records || [{ addedNodes: [body] }]).forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) return;
        if (n.matches(RUNS)) start(n);
        n.querySelectorAll(RUNS).forEach(start);
      });
    });
    // reading scrollHeight forces a layout of the whole page: only when set_env(auto_scroll_bottom=True)
    if (body.classList.contains("htmio-auto-scroll")) {
      var height = document.body.scrollHeight;
      if (height > lastHeight) window.scrollTo(0, height);
      lastHeight = height;
    }
    document.querySelectorAll("#htmio-toasts .htmio-toast").forEach(startToast);
    document.querySelectorAll("textarea[data-htmio-code]").forEach(startEditor);
    document.querySelectorAll("dialog.htmio-popup").forEach(startPopup);
    document.querySelectorAll("[data-htmio-keep-bottom]").forEach(keepBottom);
  }

  // a file chooser shows the chosen names where its placeholder was (the placeholder again when none)
  function showFiles(input) {
    var face = input.parentNode.querySelector(".htmio-file-names");
    if (!face) return;
    var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; }).join(", ");
    face.textContent = names || face.dataset.placeholder;
    input.parentNode.classList.toggle("htmio-file-chosen", !!names);
  }
  document.addEventListener("reset", function (event) {
    setTimeout(function () { event.target.querySelectorAll("input[type=file]").forEach(showFiles); });
  });
  // file size limits, checked before anything is sent (the server checks again)
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file]")) return;
    showFiles(input);
    var max = +input.dataset.maxSize || 0, total = +input.dataset.maxTotalSize || 0, sum = 0, msg = "";
    Array.prototype.forEach.call(input.files, function (f) {
      sum += f.size;
      if (max && f.size > max) msg = input.dataset.msgSize.replace("{name}", f.name);
    });
    // the messages come with the page, in the session's language
    if (!msg && total && sum > total) msg = input.dataset.msgTotal;
    input.setCustomValidity(msg);
    if (msg) input.reportValidity();
  });
  new MutationObserver(scan).observe(body, { childList: true, subtree: true });
  scan();

  document.addEventListener("click", function (event) {
    var shut = event.target.closest && event.target.closest("[data-htmio-popup-close]");
    if (shut) {  // at once; the server's removal follows
      var box = shut.closest("dialog");
      box.dataset.htmioClosing = "1";
      box.close();
    }
    var close = event.target.closest && event.target.closest("[data-htmio-toast-close]");
    if (close) {
      var toast = close.closest(".htmio-toast");
      if (toast) setTimeout(function () { toast.remove(); }, 0);
    }
  });
  // outputs with .onclick() are reachable by keyboard: Enter or Space clicks them
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if ((event.key === "Enter" || event.key === " ") && el.hasAttribute && el.hasAttribute("data-htmio-clickable")) {
      event.preventDefault();
      el.click();
    }
  });
})();
