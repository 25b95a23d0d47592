/* This file is part of microloan.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The suite's adjustments of the web client: sao's index.html loads
   custom.js from its root after sao itself ("make web" links this file
   there). */
(function() {
    'use strict';

    /* A choice made in a drop-down is the choice sent.  sao's selection
       widget rebuilds its options each time the form is displayed again
       (after any field of the record changes) and selects the record's value
       among the new options only later, asynchronously; in between the
       drop-down shows its first option.  A dialog's button reads every
       widget back into the record (Wizard.response, Form.set_value), so the
       click that follows typing in another field (whose change redraws the
       form as the focus leaves it) sent the first option instead of the
       one chosen: 批准 chosen in the committee vote was stored as 否决 (the
       first option), 否决 chosen in the decision dialog as 批准.  Select the
       record's value as soon as the options are rebuilt, or nothing when it
       is not among them, never whatever option happens to come first. */
    var proto = Sao.View.Form.Selection.prototype;
    var set_selection = proto.set_selection;
    proto.set_selection = function(selection, help) {
        var select = this.select;
        var wanted = select.val();
        set_selection.call(this, selection, help);
        if (select.prop('multiple')) {
            // the multiple selection selects its values at once
            return;
        }
        if (this.record && this.field) {
            wanted = JSON.stringify(this.field.get(this.record));
        }
        if (select.children('option').toArray().some(
                    option => option.value === wanted)) {
            select.val(wanted);
        } else {
            select.prop('selectedIndex', -1);
        }
    };
    /* Nothing selected (the record's value is not among the options yet)
       reads as the record's value: unchanged. */
    var get_value = proto.get_value;
    proto.get_value = function() {
        if (!this.select.prop('multiple') &&
                (this.select.prop('selectedIndex') < 0) &&
                this.record && this.field) {
            return this.field.get(this.record);
        }
        return get_value.call(this);
    };

    /* CSV files open in Excel in Chinese.  sao writes its CSV exports in
       UTF-8 but marks them with a byte-order mark only when the browser runs
       on Windows; Excel reads a CSV without the mark in the system's legacy
       code page (GBK on a Chinese Windows), which garbles the Chinese of a
       file saved on another system and opened there.  Every CSV the client
       saves (the export dialog, the saved exports of the print menu) passes
       through download_file: mark it there, once. */
    var download_file = Sao.common.download_file;
    Sao.common.download_file = function(data, name, options) {
        if ((typeof data == 'string') && /\.csv$/i.test(name) &&
                (data.charAt(0) != Sao.BOM_UTF8)) {
            data = Sao.BOM_UTF8 + data;
        }
        return download_file.call(this, data, name, options);
    };

    /* The export dialog's "URL Export" is served by the server, which
       encodes as the URL asks: UTF-8 with its mark. */
    var set_url = Sao.Window.Export.prototype.set_url;
    Sao.Window.Export.prototype.set_url = function() {
        set_url.apply(this, arguments);
        this.button_url.attr(
            'href', this.button_url.attr('href') + '&enc=utf-8-sig');
    };

    /* The export dialog also saves the fields it lists as an Excel workbook
       with typed cells (amounts, rates, dates), made on the server by the
       report that exports the suite's lists (microloan_core/export.py). */
    var init = Sao.Window.Export.prototype.init;
    Sao.Window.Export.prototype.init = function() {
        init.apply(this, arguments);
        jQuery('<button/>', {
            'class': 'btn btn-default',
            'type': 'button',
            'id': 'export-excel',
            'title': 'Excel',
        }).text('Excel').on('click', this.export_excel.bind(this))
            .insertBefore(this.dialog.footer.find('button[type="submit"]'));
    };
    Sao.Window.Export.prototype.export_excel = function(evt) {
        evt.preventDefault();
        var button = jQuery(evt.currentTarget).prop('disabled', true);
        var fields = this.fields_selected.children('li').map(function() {
            return this.getAttribute('path');
        }).get();
        var records = JSON.parse(this.selected_records.val()) ?
            this.screen.selected_records : this.screen.listed_records;
        Sao.Action.exec_report({
            'name': 'microloan.list.export',
            'data': {
                'model': this.screen.model_name,
                'ids': records.map(function(r) {
                    return r.id;
                }),
                'fields': fields,
            },
            'context': this.context,
            'direct_print': false,
        }).always(function() {
            button.prop('disabled', false);
        });
    };

    /* sao 8.0 titles its Preferences dialog with the English word itself:
       a dialog's title goes through the translations like the rest of the
       client (web/locale/*.po translate "Preferences"); a title sao has
       already translated has no entry and stays as it is. */
    var dialog_init = Sao.Dialog.prototype.init;
    Sao.Dialog.prototype.init = function(title) {
        var args = Array.prototype.slice.call(arguments);
        if (title) {
            args[0] = Sao.i18n.gettext(title);
        }
        return dialog_init.apply(this, args);
    };
}());
