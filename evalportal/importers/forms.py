from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .safety import megabytes


class WorkbookUploadForm(forms.Form):
    # allow_empty_file: the service explains an empty file in its own words (and the command does the same).
    file = forms.FileField(label=_("填写好的Excel工作簿（.xlsx）"), allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
                           error_messages={"required": _("请选择要导入的Excel文件。")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:      # refused before a byte is read into memory
            raise forms.ValidationError(_("文件过大（%(size)s），上限为%(limit)s。请上传从本系统导出的工作簿。")
                                        % {"size": megabytes(upload.size), "limit": megabytes(limit)})
        return upload
