"use strict";
// The article page's review desk (templates/admin/articles/article/desk.html): its buttons
// post their small forms without reloading the page, and the desk is drawn again from the
// answer. Without this script the same forms post and come back to the page.
(function () {
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function announce(message, level) {
    const box = document.getElementById("desk-messages");
    if (!box) return;
    box.innerHTML = "";
    const list = document.createElement("ul");
    list.className = "messagelist";
    const item = document.createElement("li");
    item.className = level || "info";
    item.textContent = message;
    list.appendChild(item);
    box.appendChild(list);
  }

  // select2 draws a box with a textbox role and no name: it takes its label's text.
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = document.querySelector(`label[for="${select.id}"]`);
      const box = select.parentElement.querySelector(".select2-selection__rendered");
      if (label && box) box.setAttribute("aria-label", label.textContent.replace(/:$/, ""));
    });
  }

  async function post(form, submitter) {
    const data = new FormData(form, submitter);
    const version = document.getElementById("id_expected_version");
    if (version) data.set("expected_version", version.value);
    let reply;
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      reply = await response.json();
    } catch (error) {
      announce("The desk could not reach the server: nothing was changed. Try again.", "error");
      return;
    }
    const focused = document.activeElement && document.activeElement.id;
    const desk = document.getElementById("desk");
    if (reply.desk && desk) {
      desk.outerHTML = reply.desk;
      const redrawn = document.getElementById("desk");
      if (window.django && django.jQuery && django.jQuery.fn.djangoAdminSelect2) {
        django.jQuery(redrawn).find(".admin-autocomplete").djangoAdminSelect2();
      }
      nameAutocompletes(redrawn);
      const again = focused && document.getElementById(focused);
      if (again) again.focus();
    }
    // Only when the page's form had the version this change replaced (the server checks).
    if (reply.version && version) version.value = reply.version;
    announce(reply.message, reply.level);
  }

  // After the admin's script has drawn the pickers: its jQuery "ready" callback, which runs
  // before any registered later.
  window.addEventListener("load", function () {
    if (window.django && django.jQuery) {
      django.jQuery(function () { nameAutocompletes(document); });
    }
  });

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (!form.matches("form[data-desk]")) return;
    event.preventDefault();
    post(form, event.submitter);
  });

  // The publish button says what it will do with the publication time typed in: publish
  // now, or schedule for later (the embargo).
  // [year, month, day] of a date typed as the admin shows dates (its first input format,
  // through the admin's own parser), or as ISO; null when neither.
  function parseDay(text) {
    const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    if (iso) return [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    if (typeof get_format !== "function" || !/^\d{1,4}([./-])\d{1,2}\1\d{1,4}$/.test(text)) {
      return null;
    }
    const date = text.strptime(get_format("DATE_INPUT_FORMATS")[0]);
    return isNaN(date) ? null : [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  }

  function publishLabel(button) {
    const date = document.getElementById("id_published_at_0");
    const time = document.getElementById("id_published_at_1");
    const day = date && parseDay(date.value.trim());
    const clock = time && /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.value.trim());
    if (!day || !clock) return "Publish now";
    // Both read as the server's local time, which the admin's inputs use.
    const wanted = Date.UTC(day[0], day[1] - 1, day[2], clock[1], clock[2], clock[3] || 0);
    const now = Date.parse(button.dataset.serverNow + "Z") + (Date.now() - loadedAt);
    if (!(wanted > now)) return "Publish now";
    const year = day[0] === new Date(now).getUTCFullYear() ? "" : " " + day[0];
    const hours = clock[1].padStart(2, "0");
    return `Schedule for ${day[2]} ${MONTHS[day[1] - 1]}${year}, ${hours}:${clock[2]}`;
  }

  const loadedAt = Date.now();
  function relabel(event) {
    if (!event.target.id || !event.target.id.startsWith("id_published_at_")) return;
    document.querySelectorAll("button[name=_workflow][value=publish]").forEach(function (button) {
      button.textContent = publishLabel(button);
    });
  }
  // The admin's "Now" and "Today" shortcuts set the value, then focus the input.
  ["input", "change", "focusin"].forEach(function (name) {
    document.addEventListener(name, relabel);
  });
})();
