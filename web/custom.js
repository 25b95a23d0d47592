/* This file is part of microloan.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* The suite's adjustments of the web client: sao's index.html loads
   custom.js from its root after sao itself ("make web" links this file
   there). */
(function() {
    'use strict';

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
}());
