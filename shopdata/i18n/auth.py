"""Sign-in, roles and the Team page."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "auth.title": {"en": "Sign in to Shopdata", "zh": "登录 Shopdata"},
    "auth.intro": {
        "en": "This shop's numbers are for its team. Sign in with the account the owner gave you.",
        "zh": "店铺数据仅供团队成员查看。请使用店主为您创建的账号登录。",
    },
    "auth.name": {"en": "Name", "zh": "用户名"},
    "auth.password": {"en": "Password", "zh": "密码"},
    "auth.submit": {"en": "Sign in", "zh": "登录"},
    "auth.remember": {"en": "Stay signed in on this browser for {days} days", "zh": "在此浏览器上保持登录 {days} 天"},
    "auth.sso": {"en": "Sign in with single sign-on", "zh": "使用单点登录"},
    "auth.wrong": {"en": "Wrong name or password.", "zh": "用户名或密码错误。"},
    "auth.throttled": {
        "en": "Too many failed sign-ins. Try again in {seconds} seconds.",
        "zh": "登录失败次数过多，请 {seconds} 秒后再试。",
    },
    "auth.not_allowed": {
        "en": "{email} is not on this team's list. Ask the owner to add your e-mail on the Team page.",
        "zh": "{email} 不在团队名单中。请店主在“团队”页添加您的邮箱。",
    },
    "auth.no_accounts_lan": {
        "en": "This app is reachable from the network but has no accounts yet, so it shows nothing. "
        "On the server run `python -m shopdata users add NAME --role owner`, then reload.",
        "zh": "本应用可从网络访问，但还没有任何账号，因此不显示任何内容。请在服务器上运行 "
        "`python -m shopdata users add 用户名 --role owner`，然后刷新页面。",
    },
    "auth.local_mode": {
        "en": "Local use on this computer only — no accounts yet. Add them on the Team page "
        "before sharing with `make serve`.",
        "zh": "仅本机使用——尚未创建账号。用 `make serve` 共享给团队前，请先在“团队”页添加账号。",
    },
    "auth.signed_in": {"en": "Signed in as **{name}** ({role})", "zh": "已登录：**{name}**（{role}）"},
    "auth.sign_out": {"en": "Sign out", "zh": "退出登录"},
    "auth.sign_out_everywhere": {"en": "Sign out everywhere", "zh": "在所有设备上退出"},
    "auth.session_ended": {
        "en": "You were signed out: the password, the role or the sign-ins of this account changed. Sign in again.",
        "zh": "您已被退出登录：此账号的密码、角色或登录状态已更改。请重新登录。",
    },
    "auth.view_only": {
        "en": "Your role ({role}) can look at the data but not upload or delete. Ask the owner if you need more.",
        "zh": "您的角色（{role}）只能查看数据，不能上传或删除。如需更多权限请联系店主。",
    },
    "auth.settings_read_only": {
        "en": "Your role ({role}) can see these settings but not change them; they apply to the whole team.",
        "zh": "您的角色（{role}）只能查看这些设置，不能修改；它们对整个团队生效。",
    },
    "auth.owner_only": {"en": "Only an owner can do this.", "zh": "只有店主可以执行此操作。"},
    "role.owner": {"en": "owner", "zh": "店主"},
    "role.member": {"en": "member", "zh": "成员"},
    "role.viewer": {"en": "viewer", "zh": "只读"},
    "role.owner.help": {
        "en": "everything, including deleting data and managing the team",
        "zh": "全部权限，包括删除数据和管理团队",
    },
    "role.member.help": {"en": "upload, view and change store settings", "zh": "上传、查看和修改店铺设置"},
    "role.viewer.help": {"en": "view only", "zh": "仅查看"},
    # team page
    "nav.team": {"en": "Team", "zh": "团队"},
    "team.title": {"en": "Team", "zh": "团队"},
    "team.intro": {
        "en": "Who may sign in, and what each role may do. Passwords are stored only as salted scrypt hashes.",
        "zh": "谁可以登录，以及各角色的权限。密码仅以加盐的 scrypt 哈希保存。",
    },
    "team.add": {"en": "Add an account", "zh": "添加账号"},
    "team.role": {"en": "Role", "zh": "角色"},
    "team.email": {"en": "E-mail (for single sign-on, optional)", "zh": "邮箱（用于单点登录，可选）"},
    "team.password_again": {"en": "Password again", "zh": "再次输入密码"},
    "team.passwords_differ": {"en": "The two passwords differ.", "zh": "两次输入的密码不一致。"},
    "team.added": {"en": "Account {name} added as {role}.", "zh": "已添加账号 {name}，角色：{role}。"},
    "team.create": {"en": "Create account", "zh": "创建账号"},
    "team.change": {"en": "Change an account", "zh": "修改账号"},
    "team.account": {"en": "Account", "zh": "账号"},
    "team.set_role": {"en": "Save role", "zh": "保存角色"},
    "team.new_password": {"en": "New password", "zh": "新密码"},
    "team.set_password": {"en": "Set password", "zh": "设置密码"},
    "team.remove": {"en": "Remove account", "zh": "删除账号"},
    "team.sign_out_everywhere": {"en": "Sign out everywhere", "zh": "在所有设备上退出"},
    "team.done": {"en": "Saved.", "zh": "已保存。"},
    "team.first_owner": {
        "en": "Create the first account — it becomes the owner. From then on everyone signs in, on this computer too.",
        "zh": "创建第一个账号——它将成为店主。此后所有人（包括本机）都需要登录。",
    },
    "team.robots": {"en": "Group robots", "zh": "群机器人"},
    "team.robots.intro": {
        "en": "The daily report can be sent to the team's group chat through a robot's webhook. Paste the address "
        "from the robot's settings; it and the signing secret are kept in the database and never shown in full "
        "again.",
        "zh": "日报可以通过群机器人的 Webhook 发送到团队群。请粘贴机器人设置中的地址；地址和加签密钥保存在数据库中，"
        "之后不会再完整显示。",
    },
    "team.robots.none": {"en": "No group robot yet.", "zh": "还没有群机器人。"},
    "team.robots.add": {"en": "Add a group robot", "zh": "添加群机器人"},
    "team.robots.kind": {"en": "Robot", "zh": "机器人类型"},
    "team.robots.name": {"en": "Name (e.g. the group's name)", "zh": "名称（如群名）"},
    "team.robots.url": {"en": "Webhook address", "zh": "Webhook 地址"},
    "team.robots.secret": {
        "en": "Signing secret (optional: DingTalk's “Add signature”, Feishu's “Signature verification”)",
        "zh": "加签密钥（可选：钉钉加签、飞书签名校验）",
    },
    "team.robots.store": {"en": "Reports of", "zh": "发送哪个店铺的报告"},
    "team.robots.all_stores": {"en": "every store", "zh": "所有店铺"},
    "team.robots.save": {"en": "Add robot", "zh": "添加机器人"},
    "team.robots.added": {"en": "Robot {name} added.", "zh": "已添加机器人 {name}。"},
    "team.robots.robot": {"en": "Group robot", "zh": "群机器人"},
    "team.robots.test": {"en": "Send a test", "zh": "发送测试消息"},
    "team.robots.delete": {"en": "Remove robot", "zh": "删除机器人"},
    "team.robots.removed": {"en": "Robot removed.", "zh": "已删除机器人。"},
    "team.robots.sending": {"en": "Sending a test message…", "zh": "正在发送测试消息…"},
    "team.robots.test_title": {"en": "Shopdata test message", "zh": "Shopdata 测试消息"},
    "team.robots.test_line": {
        "en": "{name} is set up: the daily report will arrive here.",
        "zh": "{name} 已设置好：日报将发送到这里。",
    },
    "team.robots.col.name": {"en": "Name", "zh": "名称"},
    "team.robots.col.kind": {"en": "Robot", "zh": "机器人类型"},
    "team.robots.col.url": {"en": "Address (masked)", "zh": "地址（已隐藏）"},
    "team.robots.col.has_secret": {"en": "Signed", "zh": "已加签"},
    "team.robots.col.store": {"en": "Reports of", "zh": "店铺"},
    "team.robots.col.created_by": {"en": "Added by", "zh": "添加者"},
    "team.col.name": {"en": "Name", "zh": "用户名"},
    "team.col.role": {"en": "Role", "zh": "角色"},
    "team.col.email": {"en": "E-mail", "zh": "邮箱"},
    "team.col.has_password": {"en": "Password set", "zh": "已设密码"},
    "team.col.created_at": {"en": "Created (UTC)", "zh": "创建时间 (UTC)"},
    "team.col.created_by": {"en": "Created by", "zh": "创建者"},
}
