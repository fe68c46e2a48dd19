"""WTForms for the shell's pages (CSRF comes with FlaskForm)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=256)])


class LogoutForm(FlaskForm):
    pass


class OrgImportForm(FlaskForm):
    file = FileField(
        "行政区划 CSV 文件",
        validators=[FileRequired("请选择文件"), FileAllowed(["csv"], "只能上传 .csv 文件")],
    )
