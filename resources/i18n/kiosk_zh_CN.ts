<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActivityBanner</name>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="45"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="46"/>
        <source>The coordinator opens one by scanning its activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="49"/>
        <source>%n activities are open</source>
        <translation>
            <numerusform>%n 个活动进行中</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="57"/>
        <source>%1 of %2 on site</source>
        <translation>在岗 %1 / %2 人</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/activity_banner.py" line="60"/>
        <source>%1 on site</source>
        <translation>在岗 %1 人</translation>
    </message>
</context>
<context>
    <name>ActivityChoicePanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="94"/>
        <source>%1, which activity are you here for?</source>
        <translation>%1，请选择您要参加的活动</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="42"/>
        <source>Camera not connected, trying again…
You can also use the barcode scanner.</source>
        <translation>摄像头未连接，正在重试…
也可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="44"/>
        <source>The video has ended.
You can use the barcode scanner.</source>
        <translation>视频已播放完毕。
可以使用扫码枪签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/camera_view.py" line="45"/>
        <source>Starting the camera…</source>
        <translation>正在启动摄像头…</translation>
    </message>
</context>
<context>
    <name>CoordinatorMenu</name>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="85"/>
        <source>Open now</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="88"/>
        <source>Closed</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="91"/>
        <source>Open</source>
        <translation>开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="97"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="98"/>
        <source>Open an activity for check-in, or scan its activity code at the kiosk.</source>
        <translation>开启活动以便签到，也可以在签到机上扫描活动码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="99"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="100"/>
        <source>Exit the kiosk program</source>
        <translation>退出签到程序</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="101"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/coordinator_menu.py" line="102"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
</context>
<context>
    <name>IdlePanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="55"/>
        <source>Hold your volunteer QR code up to the camera</source>
        <translation>请将志愿者二维码对准摄像头</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="57"/>
        <source>Scan once to check in, again when you leave to check out. A barcode scanner works too.</source>
        <translation>到达时扫码签到，离开时再扫码签退。也可以使用扫码枪。</translation>
    </message>
</context>
<context>
    <name>KioskScreen</name>
    <message>
        <location filename="../../kiosk/ui/screens/kiosk_screen.py" line="154"/>
        <source>Coordinator</source>
        <translation>协调员</translation>
    </message>
</context>
<context>
    <name>KioskStatusBar</name>
    <message numerus="yes">
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="59"/>
        <source>%n record(s) waiting to sync</source>
        <translation>
            <numerusform>%n 条记录待同步</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="61"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="63"/>
        <source>Cannot reach the cloud, will retry</source>
        <translation>无法连接云端，稍后重试</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="65"/>
        <source>Synced at %1</source>
        <translation>已于 %1 同步</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="67"/>
        <source>Connecting to the cloud</source>
        <translation>正在连接云端</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="70"/>
        <source>Camera on</source>
        <translation>摄像头正常</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="71"/>
        <source>Camera starting</source>
        <translation>摄像头启动中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="72"/>
        <source>Camera not connected</source>
        <translation>摄像头未连接</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="73"/>
        <source>Camera reconnecting</source>
        <translation>摄像头重连中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="74"/>
        <source>Video ended</source>
        <translation>视频已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/status_bar.py" line="78"/>
        <source>Kiosk %1</source>
        <translation>签到机 %1</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="303"/>
        <source>The PIN could not be checked: the kiosk cannot write its records.</source>
        <translation>无法核对密码：签到机无法写入记录。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/main_window.py" line="306"/>
        <source>Too many wrong PINs. Locked until %1.</source>
        <translation>密码错误次数过多，已锁定至 %1。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/main_window.py" line="308"/>
        <source>Wrong PIN. %n tries left.</source>
        <translation>
            <numerusform>密码错误，还可尝试 %n 次。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="88"/>
        <source>Coordinator PIN</source>
        <translation>协调员密码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/pin_pad.py" line="89"/>
        <source>Back to the kiosk</source>
        <translation>返回签到</translation>
    </message>
</context>
<context>
    <name>Result</name>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="59"/>
        <location filename="../../kiosk/ui/messages.py" line="91"/>
        <source>Not a volunteer code</source>
        <translation>这不是志愿者二维码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="60"/>
        <location filename="../../kiosk/ui/messages.py" line="92"/>
        <source>Please show your volunteer card&apos;s QR code.</source>
        <translation>请出示您的志愿者证二维码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="63"/>
        <source>The code could not be read</source>
        <translation>二维码无法识别</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="64"/>
        <source>Hold the card still in the frame and try again.</source>
        <translation>请将二维码放在框内保持不动，再试一次。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="67"/>
        <source>This code is newer than this kiosk</source>
        <translation>二维码版本高于本签到机</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="68"/>
        <source>Please ask the coordinator to update the kiosk.</source>
        <translation>请联系协调员更新签到机。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="71"/>
        <source>This code was not issued by our platform</source>
        <translation>此二维码并非本平台签发</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="72"/>
        <location filename="../../kiosk/ui/messages.py" line="76"/>
        <location filename="../../kiosk/ui/messages.py" line="100"/>
        <location filename="../../kiosk/ui/messages.py" line="108"/>
        <location filename="../../kiosk/ui/messages.py" line="116"/>
        <location filename="../../kiosk/ui/messages.py" line="124"/>
        <location filename="../../kiosk/ui/messages.py" line="237"/>
        <source>Please ask the coordinator for help.</source>
        <translation>请联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="75"/>
        <source>This code is not genuine</source>
        <translation>此二维码校验失败，可能是伪造的</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="79"/>
        <source>This card has expired</source>
        <translation>志愿者证已过期</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="80"/>
        <source>Please renew your card on the volunteer platform.</source>
        <translation>请在志愿服务平台上更新您的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="83"/>
        <location filename="../../kiosk/ui/messages.py" line="87"/>
        <source>This card has been cancelled</source>
        <translation>此志愿者证已作废</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="84"/>
        <location filename="../../kiosk/ui/messages.py" line="88"/>
        <source>Please use your newest card.</source>
        <translation>请使用您最新的志愿者证。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="95"/>
        <source>This activity is not open yet</source>
        <translation>活动尚未开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="96"/>
        <source>Please ask the coordinator to open it.</source>
        <translation>请联系协调员开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="99"/>
        <source>This activity has ended</source>
        <translation>活动已结束</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="103"/>
        <source>Check-in has not started yet</source>
        <translation>签到尚未开始</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="104"/>
        <source>Please come back when check-in opens.</source>
        <translation>请在签到开始后再来扫码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="107"/>
        <source>Check-in has closed</source>
        <translation>签到已截止</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="111"/>
        <source>You are not on the sign-up list</source>
        <translation>您不在本活动的报名名单中</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="112"/>
        <source>Please sign up on the volunteer platform or ask the coordinator.</source>
        <translation>请在志愿服务平台报名，或联系现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="115"/>
        <source>This activity is full</source>
        <translation>活动人数已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="119"/>
        <source>No activity is open</source>
        <translation>当前没有进行中的活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="120"/>
        <source>Please ask the coordinator to scan the activity code.</source>
        <translation>请协调员扫描活动码开启活动。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="123"/>
        <source>Unknown activity</source>
        <translation>未知活动</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="127"/>
        <source>You are not checked in</source>
        <translation>您尚未签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="128"/>
        <source>Scan your card to check in.</source>
        <translation>请扫码签到。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="131"/>
        <source>NOT saved: the kiosk&apos;s storage is full</source>
        <translation>未保存：签到机存储空间已满</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="132"/>
        <location filename="../../kiosk/ui/messages.py" line="136"/>
        <source>Your scan was not recorded. Please tell the coordinator.</source>
        <translation>本次扫码未被记录，请告知现场协调员。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="135"/>
        <source>NOT saved: the kiosk could not store this</source>
        <translation>未保存：签到机无法写入记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="139"/>
        <source>Too late to undo</source>
        <translation>已超过可撤销时间</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="140"/>
        <location filename="../../kiosk/ui/messages.py" line="146"/>
        <source>Please ask the coordinator to correct it.</source>
        <translation>请联系协调员更正。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="142"/>
        <source>Already undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="143"/>
        <source>Only the latest scan can be undone</source>
        <translation>只能撤销最近一次扫码</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="145"/>
        <source>This cannot be undone</source>
        <translation>此记录无法撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="148"/>
        <source>Nothing to undo</source>
        <translation>没有可撤销的记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="156"/>
        <source>%1 h %2 min</source>
        <translation>%1 小时 %2 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="157"/>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="161"/>
        <source>%1 h</source>
        <translation>%1 小时</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="170"/>
        <source>Checked in at %1</source>
        <translation>签到时间 %1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="173"/>
        <source>Checked in</source>
        <translation>签到成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="176"/>
        <source>Welcome! Thank you for serving.</source>
        <translation>欢迎！感谢您的志愿服务。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="182"/>
        <source>Checked out at %1, visit %2, total %3</source>
        <translation>签退时间 %1，本次服务 %2，累计 %3</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="189"/>
        <source>Checked out</source>
        <translation>签退成功</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="192"/>
        <source>Thank you! See you next time.</source>
        <translation>辛苦了！期待下次再见。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="199"/>
        <source>Already checked in at %1</source>
        <translation>您已于 %1 签到</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="202"/>
        <source>Already checked out at %1</source>
        <translation>您已于 %1 签退</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="206"/>
        <source>Already recorded</source>
        <translation>已记录</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="209"/>
        <source>Nothing else to do.</source>
        <translation>无需重复扫码。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="216"/>
        <source>Undone</source>
        <translation>已撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="218"/>
        <source>The last scan was cancelled.</source>
        <translation>上一次扫码已撤销。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="226"/>
        <source>Activity open</source>
        <translation>活动已开启</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="228"/>
        <source>Volunteers can check in now.</source>
        <translation>志愿者现在可以签到了。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/messages.py" line="236"/>
        <source>Not recorded</source>
        <translation>未记录</translation>
    </message>
</context>
<context>
    <name>ResultCard</name>
    <message>
        <location filename="../../kiosk/ui/widgets/result_card.py" line="67"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/widgets/result_card.py" line="68"/>
        <source>Check out now</source>
        <translation>立即签退</translation>
    </message>
</context>
<context>
    <name>UsbPanel</name>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="101"/>
        <source>USB stick</source>
        <translation>U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="103"/>
        <source>No USB stick found. Plug one in, then tap Look again.</source>
        <translation>未找到 U 盘。请插入 U 盘，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="105"/>
        <source>USB stick: %1</source>
        <translation>U 盘：%1</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="108"/>
        <source>Without a network, records travel on the stick: write them to it, take it to the platform, and bring back its reply to read in.</source>
        <translation>没有网络时，记录用 U 盘传送：先把记录写入 U 盘，交给平台，再把平台的回执带回来读入。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="112"/>
        <source>Write records to the stick</source>
        <translation>把记录写入 U 盘</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="113"/>
        <source>Read the platform&apos;s reply</source>
        <translation>读入平台回执</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="114"/>
        <source>Look again</source>
        <translation>重新查找</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="115"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="121"/>
        <source>Working… do not pull out the stick.</source>
        <translation>正在处理……请勿拔出 U 盘。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="135"/>
        <source>This kiosk is not set up for USB transfer yet. Ask the platform for a provisioning file.</source>
        <translation>本签到机尚未设置 U 盘传送。请向平台索取设备配置文件。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="137"/>
        <source>The stick is gone. Plug it in again, then tap Look again.</source>
        <translation>U 盘已拔出。请重新插入，然后点“重新查找”。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="138"/>
        <source>The stick cannot be written: it may be full or locked.</source>
        <translation>无法写入 U 盘：可能已满或处于写保护状态。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="139"/>
        <source>The kiosk could not read its records. Nothing was written.</source>
        <translation>签到机无法读取记录，未写入任何内容。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="143"/>
        <source>%n records waiting to sync.</source>
        <translation>
            <numerusform>%n 条记录等待同步。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="145"/>
        <source>%n records written to the stick.</source>
        <translation>
            <numerusform>已将 %n 条记录写入 U 盘。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="146"/>
        <source>Take the stick to the platform. They stay waiting until its reply is read in.</source>
        <translation>请把 U 盘交给平台。读入平台回执之前，这些记录仍保留为等待同步。</translation>
    </message>
    <message>
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="149"/>
        <source>Nothing new from the platform on this stick.</source>
        <translation>U 盘上没有平台的新回执或更新。</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="151"/>
        <source>%n records confirmed by the platform.</source>
        <translation>
            <numerusform>平台已确认 %n 条记录。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="152"/>
        <source>%n changes to the roster and activities.</source>
        <translation>
            <numerusform>名册和活动已更新 %n 项。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/ui/screens/usb_panel.py" line="157"/>
        <source>%n files refused (damaged, changed, or not for this kiosk): %1</source>
        <translation>
            <numerusform>%n 个文件被拒绝（已损坏、被改动或不属于本签到机）：%1</numerusform>
        </translation>
    </message>
</context>
</TS>
