@echo off
chcp 65001 >nul
setlocal
rem 双击运行:启动“领导干部直接联系服务辅导员”规划工具网页(仅本机 127.0.0.1,数据不出本机)。
rem 第一次运行会在项目文件夹中创建 .venv 并按 requirements.lock 安装依赖(需联网,约几分钟);
rem 以后双击即直接启动。requirements.lock 更新后会自动重新安装。
cd /d "%~dp0.."
set "PORT=8501"
set "PY="
where py >nul 2>nul
if not errorlevel 1 set "PY=py -3"
if defined PY goto :have_py
where python >nul 2>nul
if not errorlevel 1 set "PY=python"
:have_py
if not defined PY goto :nopython

if exist ".venv\Scripts\python.exe" goto :venv_ready
echo 第一次使用:正在创建运行环境 .venv ……
%PY% -m venv .venv
if errorlevel 1 goto :fail
:venv_ready

fc /b requirements.lock ".venv\installed.lock" >nul 2>nul
if not errorlevel 1 goto :start
echo 正在安装依赖,第一次或更新后需要几分钟,请稍候……
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -q -r requirements.lock
if errorlevel 1 goto :fail
".venv\Scripts\python.exe" -m pip install --disable-pip-version-check -q --no-deps -e .
if errorlevel 1 goto :fail
copy /y requirements.lock ".venv\installed.lock" >nul

:start
echo.
echo 正在启动规划工具,浏览器将自动打开 http://127.0.0.1:%PORT%
echo 使用期间请不要关闭本窗口;关闭本窗口即退出规划工具。
".venv\Scripts\python.exe" -m planner serve --port %PORT% --open
if errorlevel 1 goto :serve_failed
exit /b 0

:serve_failed
echo.
echo 启动未成功。若提示端口已被占用,说明规划工具可能已在运行:请直接在浏览器中打开 http://127.0.0.1:%PORT%
pause
exit /b 1

:nopython
echo 未找到 Python。请先从 python.org 下载安装 Python 3.11 或更高版本,
echo 安装时勾选“Add python.exe to PATH”,然后重新双击本文件。
pause
exit /b 1

:fail
echo.
echo 安装未成功:请检查网络连接后重新双击运行;仍不成功,请把本窗口截图发给技术人员。
pause
exit /b 1
